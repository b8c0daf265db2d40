// CopyBinaryDecoder on hand-built COPY binary streams: every type, NULLs, extremes, streams
// split anywhere, batches and malformed input.
#include "sqlflow/connectors/postgres/pg_copy.h"

#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/connectors/postgres/pg_types.h"
#include "sqlflow/data/data_test_util.h"

namespace sqlflow::pg {
namespace {

/// Writes COPY binary bytes by hand, big-endian, one call per piece.
class Stream {
 public:
  Stream& Header() {
    bytes_.append("PGCOPY\n\377\r\n\0", 11);
    return U32(0).U32(0);
  }
  Stream& Row(int16_t fields) { return U16(static_cast<uint16_t>(fields)); }
  Stream& Trailer() { return U16(0xFFFF); }
  Stream& Null() { return U32(0xFFFFFFFF); }
  Stream& Bool(bool v) { return U32(1).Byte(v ? 1 : 0); }
  Stream& I16(int16_t v) { return U32(2).U16(static_cast<uint16_t>(v)); }
  Stream& I32(int32_t v) { return U32(4).U32(static_cast<uint32_t>(v)); }
  Stream& I64(int64_t v) { return U32(8).U64(static_cast<uint64_t>(v)); }
  Stream& F32(float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    return U32(4).U32(bits);
  }
  Stream& F64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    return U32(8).U64(bits);
  }
  Stream& Text(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    bytes_.append(s);
    return *this;
  }
  /// A numeric field: ndigits, weight, sign, dscale, then the base-10000 digits.
  Stream& Numeric(int16_t weight, uint16_t sign, int16_t dscale, std::vector<uint16_t> digits) {
    U32(static_cast<uint32_t>(8 + 2 * digits.size()));
    U16(static_cast<uint16_t>(digits.size())).U16(static_cast<uint16_t>(weight)).U16(sign);
    U16(static_cast<uint16_t>(dscale));
    for (uint16_t d : digits) U16(d);
    return *this;
  }
  Stream& Byte(uint8_t b) {
    bytes_.push_back(static_cast<char>(b));
    return *this;
  }
  Stream& U16(uint16_t v) { return Byte(v >> 8).Byte(v & 0xFF); }
  Stream& U32(uint32_t v) { return U16(v >> 16).U16(v & 0xFFFF); }
  Stream& U64(uint64_t v) { return U32(static_cast<uint32_t>(v >> 32)).U32(v & 0xFFFFFFFF); }

  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

std::shared_ptr<const Schema> MakeSchema(const std::vector<DataType>& types) {
  std::vector<Field> fields;
  for (size_t i = 0; i < types.size(); ++i)
    fields.push_back({"c" + std::to_string(i + 1), types[i]});
  return std::make_shared<Schema>(std::move(fields));
}

CopyContext Context() { return {"POSTGRES", "public.t"}; }

using testing_util::RowStrings;

/// Feed `pieces` in order, taking every ready chunk, then the last one.
std::vector<DataChunk> DecodePieces(const std::vector<DataType>& types,
                                    const std::vector<uint32_t>& oids,
                                    const std::vector<std::string>& pieces,
                                    int64_t batch_size = 1000) {
  CopyBinaryDecoder decoder(MakeSchema(types), oids, batch_size, Context());
  std::vector<DataChunk> chunks;
  for (const std::string& piece : pieces) {
    if (decoder.Feed(piece)) chunks.push_back(decoder.TakeChunk());
  }
  EXPECT_TRUE(decoder.done());
  chunks.push_back(decoder.TakeChunk(/*at_end=*/true));
  for (const DataChunk& chunk : chunks) chunk.Validate();
  return chunks;
}

std::vector<DataChunk> Decode(const std::vector<DataType>& types, const std::vector<uint32_t>& oids,
                              const std::string& bytes) {
  return DecodePieces(types, oids, {bytes});
}

/// The what() of the DataError that decoding `bytes` throws, or "" when none is thrown.
std::string DecodeError(const std::vector<DataType>& types, const std::vector<uint32_t>& oids,
                        const std::string& bytes) {
  try {
    CopyBinaryDecoder decoder(MakeSchema(types), oids, 1000, Context());
    decoder.Feed(bytes);
    decoder.TakeChunk(/*at_end=*/true);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

TEST(CopyDecodeTest, IntegersFloatsAndBooleansWithNullsAndExtremes) {
  std::vector<DataType> types = {DataType::Boolean(), DataType::Int16(), DataType::Int32(),
                                 DataType::Int64(),   DataType::Int64(), DataType::Float32(),
                                 DataType::Float64()};
  std::vector<uint32_t> oids = {kBoolOid, kInt2Oid,   kInt4Oid,  kInt8Oid,
                                kOidOid,  kFloat4Oid, kFloat8Oid};
  Stream s;
  s.Header();
  s.Row(7).Bool(true).I16(-32768).I32(std::numeric_limits<int32_t>::min());
  s.I64(std::numeric_limits<int64_t>::min()).U32(4).U32(4294967295u).F32(1.5f).F64(-0.25);
  s.Row(7).Null().Null().Null().Null().Null().Null().Null();
  s.Row(7).Bool(false).I16(32767).I32(std::numeric_limits<int32_t>::max());
  s.I64(std::numeric_limits<int64_t>::max()).U32(4).U32(0).F32(-3.0e38f).F64(1e308);
  s.Trailer();
  std::vector<DataChunk> chunks = Decode(types, oids, s.bytes());
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(
      RowStrings(chunks),
      (std::vector<std::string>{"true|-32768|-2147483648|-9223372036854775808|4294967295|1.5|-0.25",
                                "NULL|NULL|NULL|NULL|NULL|NULL|NULL",
                                "false|32767|2147483647|9223372036854775807|0|-3e+38|1e+308"}));
  EXPECT_EQ(chunks[0].column(0).null_count, 1);
}

TEST(CopyDecodeTest, TextTypesBytesUuidAndJson) {
  std::vector<DataType> types = {DataType::String(), DataType::String(), DataType::String(),
                                 DataType::String(), DataType::Binary(), DataType::String(),
                                 DataType::Json(),   DataType::Json()};
  std::vector<uint32_t> oids = {kTextOid,  kVarcharOid, kBpcharOid, kCharOid,
                                kByteaOid, kUuidOid,    kJsonOid,   kJsonbOid};
  const std::string blob("a\0b\0", 4);
  Stream s;
  s.Header();
  s.Row(8).Text("héllo").Text("").Text("ab  ").Text("A").Text(blob);
  s.Text("\x12\x34\x56\x78\x9A\xBC\xDE\xF0\x01\x23\x45\x67\x89\xAB\xCD\xEF");
  s.Text("{\"a\": 1}").Text("\x01{\"b\": [true]}");
  s.Row(8).Null().Null().Null().Text(std::string(1, '\0')).Text("").Null().Null().Null();
  s.Row(8).Null().Null().Null().Text("\xE9").Null().Null().Null().Text("\x01");
  s.Trailer();
  std::vector<DataChunk> chunks = Decode(types, oids, s.bytes());
  ASSERT_EQ(chunks.size(), 1u);
  const DataChunk& c = chunks[0];
  ASSERT_EQ(c.num_rows(), 3);
  EXPECT_EQ(c.column(0).StringAt(0), "héllo");
  EXPECT_EQ(c.column(1).StringAt(0), "");
  EXPECT_TRUE(c.column(1).IsValid(0));
  EXPECT_EQ(c.column(2).StringAt(0), "ab  ");
  EXPECT_EQ(c.column(3).StringAt(0), "A");
  EXPECT_EQ(c.column(3).StringAt(1), "");       // "char" '\0' is the empty string.
  EXPECT_EQ(c.column(3).StringAt(2), "\\351");  // charout's octal form.
  EXPECT_EQ(c.column(4).StringAt(0), blob);
  EXPECT_EQ(c.column(4).StringAt(1), "");
  EXPECT_TRUE(c.column(4).IsValid(1));
  EXPECT_EQ(c.column(5).StringAt(0), "12345678-9abc-def0-0123-456789abcdef");
  EXPECT_EQ(c.column(6).StringAt(0), "{\"a\": 1}");
  EXPECT_EQ(c.column(7).StringAt(0), "{\"b\": [true]}");
  EXPECT_EQ(c.column(7).StringAt(2), "");
  EXPECT_TRUE(c.column(5).IsNull(1));
}

TEST(CopyDecodeTest, DatesTimesAndTimestamps) {
  std::vector<DataType> types = {DataType::Date(), DataType::Time(), DataType::Timestamp(),
                                 DataType::Timestamp("UTC")};
  std::vector<uint32_t> oids = {kDateOid, kTimeOid, kTimestampOid, kTimestamptzOid};
  Stream s;
  s.Header();
  s.Row(4).I32(0).I64(0).I64(0).I64(1);
  s.Row(4).I32(-1).I64(86399999999).I64(-1).I64(-kPgEpochMicros);
  s.Row(4).I32(-kPgEpochDays - 1).I64(3723000001).I64(774426245123456).Null();
  s.Row(4).I32(-730000).Null().I64(-63000000000000000).Null();
  s.Trailer();
  EXPECT_EQ(RowStrings(Decode(types, oids, s.bytes())),
            (std::vector<std::string>{
                "2000-01-01|00:00:00|2000-01-01 00:00:00|2000-01-01 00:00:00.000001+00",
                "1999-12-31|23:59:59.999999|1999-12-31 23:59:59.999999|1970-01-01 00:00:00+00",
                "1969-12-31|01:02:03.000001|2024-07-16 06:24:05.123456|NULL",
                "0001-04-30|NULL|0003-08-11 08:00:00|NULL"}));
}

TEST(CopyDecodeTest, InfinityDatesAndTimestampsPassThrough) {
  std::vector<DataType> types = {DataType::Date(), DataType::Timestamp(),
                                 DataType::Timestamp("UTC")};
  std::vector<uint32_t> oids = {kDateOid, kTimestampOid, kTimestamptzOid};
  Stream s;
  s.Header();
  s.Row(3).I32(std::numeric_limits<int32_t>::max()).I64(std::numeric_limits<int64_t>::max());
  s.I64(std::numeric_limits<int64_t>::min());
  s.Row(3).I32(std::numeric_limits<int32_t>::min()).I64(std::numeric_limits<int64_t>::min());
  s.I64(std::numeric_limits<int64_t>::max());
  s.Trailer();
  std::vector<DataChunk> chunks = Decode(types, oids, s.bytes());
  const DataChunk& c = chunks[0];
  EXPECT_EQ(c.column(0).ValueAt<int32_t>(0), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(c.column(0).ValueAt<int32_t>(1), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(c.column(1).ValueAt<int64_t>(0), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(c.column(1).ValueAt<int64_t>(1), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(c.column(2).ValueAt<int64_t>(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(c.column(2).ValueAt<int64_t>(1), std::numeric_limits<int64_t>::max());
}

struct NumericCase {
  int16_t weight;
  uint16_t sign;
  int16_t dscale;
  std::vector<uint16_t> digits;
  DataType type;
  std::string expected;
};

TEST(CopyDecodeTest, NumericsRescaledExactly) {
  const std::vector<NumericCase> cases = {
      {0, 0x0000, 2, {}, DataType::Decimal(12, 2), "0.00"},
      {0, 0x4000, 2, {12, 5000}, DataType::Decimal(12, 2), "-12.50"},
      {-1, 0x0000, 4, {1}, DataType::Decimal(10, 4), "0.0001"},
      {-1, 0x0000, 4, {1}, DataType::Decimal(10, 6), "0.000100"},
      {-1, 0x0000, 1, {5000}, DataType::Decimal(3, 1), "0.5"},
      {-1, 0x4000, 6, {12, 3400}, DataType::Decimal(10, 6), "-0.001234"},
      {4,
       0x0000,
       6,
       {1234, 5678, 9012, 3456, 7890, 1234, 5600},
       DataType::Decimal(38, 6),
       "12345678901234567890.123456"},
      {5, 0x0000, 0, {1}, DataType::Decimal(38, 0), "100000000000000000000"},
      {1, 0x0000, 0, {1}, DataType::Decimal(5, 0), "10000"},
      {1, 0x0000, 0, {1}, DataType::Decimal(7, 2), "10000.00"},
      {9,
       0x0000,
       0,
       {99, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999},
       DataType::Decimal(38, 0),
       "99999999999999999999999999999999999999"},
      {9,
       0x4000,
       0,
       {99, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999},
       DataType::Decimal(38, 0),
       "-99999999999999999999999999999999999999"},
      {-1,
       0x0000,
       38,
       {9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9900},
       DataType::Decimal(38, 38),
       "0.99999999999999999999999999999999999999"},
      {0, 0x0000, 3, {7, 1200}, DataType::Decimal(5, 2), "7.12"},  // trailing zero dropped
  };
  for (const NumericCase& c : cases) {
    Stream s;
    s.Header().Row(1).Numeric(c.weight, c.sign, c.dscale, c.digits).Trailer();
    EXPECT_EQ(RowStrings(Decode({c.type}, {kNumericOid}, s.bytes())),
              std::vector<std::string>{c.expected})
        << c.expected;
  }
}

TEST(CopyDecodeTest, NumericsThatDoNotFitAreDataErrors) {
  auto error = [](NumericCase c) {
    Stream s;
    s.Header().Row(1).Numeric(c.weight, c.sign, c.dscale, c.digits).Trailer();
    return DecodeError({c.type}, {kNumericOid}, s.bytes());
  };
  const std::string at = "POSTGRES read: public.t:1: column 'c1' (#1): ";
  EXPECT_EQ(error({0, 0xC000, 0, {}, DataType::Decimal(12, 2), ""}),
            at + "cannot store numeric NaN in DECIMAL(12,2); value: 'NaN'");
  EXPECT_EQ(error({0, 0xD000, 0, {}, DataType::Decimal(12, 2), ""}),
            at + "cannot store numeric Infinity in DECIMAL(12,2); value: 'Infinity'");
  EXPECT_EQ(error({0, 0xF000, 0, {}, DataType::Decimal(12, 2), ""}),
            at + "cannot store numeric -Infinity in DECIMAL(12,2); value: '-Infinity'");
  EXPECT_EQ(error({1, 0x0000, 0, {12, 3456}, DataType::Decimal(5, 0), ""}),
            at + "numeric value does not fit DECIMAL(5,0); value: '123456'");
  EXPECT_EQ(error({1, 0x4000, 2, {1}, DataType::Decimal(6, 2), ""}),
            at + "numeric value does not fit DECIMAL(6,2); value: '-10000.00'");
  EXPECT_EQ(error({-1, 0x0000, 3, {10}, DataType::Decimal(5, 2), ""}),
            at + "numeric value does not fit DECIMAL(5,2); value: '0.001'");
  EXPECT_EQ(error({30, 0x0000, 0, {1}, DataType::Decimal(38, 0), ""}),
            at + "numeric value does not fit DECIMAL(38,0); value: '" +
                "1000000000000000000000000000000000000000000000000000000000000000000000000000" +
                "0000...'");
  EXPECT_EQ(error({0, 0x1234, 0, {1}, DataType::Decimal(5, 0), ""}),
            at + "malformed numeric value");
  EXPECT_EQ(error({0, 0x0000, 0, {10000}, DataType::Decimal(5, 0), ""}),
            at + "malformed numeric value");
}

/// A small stream of three rows of mixed types, with NULLs and a multi-byte string.
Stream SmallStream() {
  Stream s;
  s.Header();
  s.Row(4).I32(1).Text("one").Numeric(0, 0, 2, {1, 2500}).I64(10);
  s.Row(4).Null().Text("dös").Null().I64(-1);
  s.Row(4).I32(3).Null().Numeric(-1, 0x4000, 2, {5000}).Null();
  s.Trailer();
  return s;
}

const std::vector<DataType> kSmallTypes = {DataType::Int32(), DataType::String(),
                                           DataType::Decimal(6, 2), DataType::Timestamp()};
const std::vector<uint32_t> kSmallOids = {kInt4Oid, kTextOid, kNumericOid, kTimestampOid};

TEST(CopyDecodeTest, SplitAnywhereGivesTheSameRows) {
  const std::string bytes = SmallStream().bytes();
  const std::vector<std::string> expected = {"1|one|1.25|2000-01-01 00:00:00.00001",
                                             "NULL|dös|NULL|1999-12-31 23:59:59.999999",
                                             "3|NULL|-0.50|NULL"};
  EXPECT_EQ(RowStrings(Decode(kSmallTypes, kSmallOids, bytes)), expected);
  std::vector<std::string> bytewise;
  for (char b : bytes) bytewise.emplace_back(1, b);
  EXPECT_EQ(RowStrings(DecodePieces(kSmallTypes, kSmallOids, bytewise)), expected);
  for (size_t i = 0; i <= bytes.size(); ++i) {
    for (size_t j = i; j <= bytes.size(); j += 7) {
      std::vector<std::string> pieces = {bytes.substr(0, i), bytes.substr(i, j - i),
                                         bytes.substr(j)};
      EXPECT_EQ(RowStrings(DecodePieces(kSmallTypes, kSmallOids, pieces)), expected)
          << "split at " << i << " and " << j;
    }
  }
}

TEST(CopyDecodeTest, BatchesOfBatchSizeRows) {
  Stream s;
  s.Header();
  for (int i = 0; i < 5; ++i) s.Row(1).I32(i);
  s.Trailer();
  const std::string& bytes = s.bytes();
  // As libpq hands it out: the header with the first row, then a row per message.
  CopyBinaryDecoder decoder(MakeSchema({DataType::Int32()}), {kInt4Oid}, 2, Context());
  const size_t header = 19, row = 2 + 4 + 4;
  EXPECT_FALSE(decoder.Feed(bytes.substr(0, header + row)));
  EXPECT_EQ(decoder.pending_rows(), 1);
  EXPECT_TRUE(decoder.Feed(bytes.substr(header + row, row)));
  EXPECT_EQ(RowStrings({decoder.TakeChunk()}), (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(decoder.pending_rows(), 0);
  EXPECT_FALSE(decoder.Feed(bytes.substr(header + 2 * row, row)));
  EXPECT_TRUE(decoder.Feed(bytes.substr(header + 3 * row, row)));
  // Feeding before taking keeps appending.
  EXPECT_TRUE(decoder.Feed(bytes.substr(header + 4 * row, row)));
  EXPECT_EQ(decoder.pending_rows(), 3);
  EXPECT_EQ(RowStrings({decoder.TakeChunk()}), (std::vector<std::string>{"2", "3", "4"}));
  EXPECT_FALSE(decoder.done());
  EXPECT_FALSE(decoder.Feed(bytes.substr(header + 5 * row)));
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(decoder.rows(), 5);
  DataChunk last = decoder.TakeChunk(/*at_end=*/true);
  EXPECT_EQ(last.num_rows(), 0);
  EXPECT_EQ(last.num_columns(), 1u);
  // Everything in one call: one chunk of every row.
  std::vector<DataChunk> chunks = DecodePieces({DataType::Int32()}, {kInt4Oid}, {bytes}, 2);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].num_rows(), 5);
  EXPECT_EQ(chunks[1].num_rows(), 0);
}

TEST(CopyDecodeTest, EmptyResultAndHeaderExtension) {
  Stream s;
  s.Header();
  EXPECT_EQ(RowStrings(Decode({DataType::Int32()}, {kInt4Oid}, Stream(s).Trailer().bytes())),
            std::vector<std::string>{});
  Stream ext;
  ext.Byte(0).bytes();
  std::string bytes("PGCOPY\n\377\r\n\0", 11);
  bytes += std::string("\0\0\0\0\0\0\0\3xyz", 11);  // flags 0, a 3-byte extension
  bytes += Stream().Row(1).I32(7).Trailer().bytes();
  EXPECT_EQ(RowStrings(Decode({DataType::Int32()}, {kInt4Oid}, bytes)),
            std::vector<std::string>{"7"});
  std::vector<std::string> bytewise;
  for (char b : bytes) bytewise.emplace_back(1, b);
  EXPECT_EQ(RowStrings(DecodePieces({DataType::Int32()}, {kInt4Oid}, bytewise)),
            std::vector<std::string>{"7"});
}

TEST(CopyDecodeTest, MalformedStreamsAreDataErrors) {
  const std::vector<DataType> types = {DataType::Int32(), DataType::String()};
  const std::vector<uint32_t> oids = {kInt4Oid, kTextOid};
  auto error = [&](const std::string& bytes) { return DecodeError(types, oids, bytes); };
  const std::string head = Stream().Header().bytes();
  EXPECT_EQ(error("PGCOPX\n"), "POSTGRES read: public.t: not a COPY binary stream (bad signature)");
  EXPECT_EQ(error("id,name\n1,a\n"),
            "POSTGRES read: public.t: not a COPY binary stream (bad signature)");
  EXPECT_EQ(error(std::string("PGCOPY\n\377\r\n\0\0\1\0\0\0\0\0\0", 19)),
            "POSTGRES read: public.t: unsupported COPY binary header flags 0x00010000");
  EXPECT_EQ(error(std::string("PGCOPY\n\377\r\n\0\0\0\0\0\xFF\xFF\xFF\xFF", 19)),
            "POSTGRES read: public.t: invalid COPY binary header extension length -1");
  EXPECT_EQ(error(head + Stream().Row(2).I32(1).Text("a").Row(3).bytes()),
            "POSTGRES read: public.t:2: row has 3 fields, expected 2");
  EXPECT_EQ(error(head + Stream().Row(2).I32(1).U32(0xFFFFFFFE).bytes()),
            "POSTGRES read: public.t:1: column 'c2' (#2): invalid field length -2");
  EXPECT_EQ(error(head + Stream().Row(2).I64(1).Text("a").bytes()),
            "POSTGRES read: public.t:1: column 'c1' (#1): a integer field must have 4 bytes, "
            "got 8");
  EXPECT_EQ(error(head + Stream().Row(2).I32(1).Text("a").Row(2).I32(2).U32(5).bytes() + "ab"),
            "POSTGRES read: public.t:2: COPY data ended in the middle of a row");
  EXPECT_EQ(error(head + Stream().Row(2).I32(1).Text("a").bytes()),
            "POSTGRES read: public.t: COPY data ended before the end-of-data marker");
  EXPECT_EQ(error(head.substr(0, 12)),
            "POSTGRES read: public.t: COPY data ended before the end-of-data marker");
  EXPECT_EQ(error(""), "POSTGRES read: public.t: COPY data ended before the end-of-data marker");
  EXPECT_EQ(error(head + Stream().Trailer().bytes() + "x"),
            "POSTGRES read: public.t: unexpected data after the end-of-data marker");
}

TEST(CopyDecodeTest, EveryTruncationAndSeededGarbageIsADataError) {
  const std::string bytes = SmallStream().bytes();
  for (size_t n = 0; n + 1 < bytes.size(); ++n) {
    std::string what = DecodeError(kSmallTypes, kSmallOids, bytes.substr(0, n));
    EXPECT_TRUE(what.find("COPY data ended") != std::string::npos) << n << ": " << what;
  }
  std::mt19937 random(20240716);
  for (int i = 0; i < 2000; ++i) {
    std::string garbage = bytes.substr(0, 20 + random() % (bytes.size() - 20));
    for (int j = random() % 4; j >= 0; --j) garbage[19 + random() % (garbage.size() - 19)] ^= 0xFF;
    garbage += std::string(random() % 8, static_cast<char>(random()));
    try {
      CopyBinaryDecoder decoder(MakeSchema(kSmallTypes), kSmallOids, 2, Context());
      decoder.Feed(garbage);
      decoder.TakeChunk(/*at_end=*/true);
    } catch (const DataError&) {
    }
  }
}

TEST(CopyDecodeTest, ValuesThatCannotBeReadAreDataErrors) {
  const std::string head = Stream().Header().bytes();
  EXPECT_EQ(DecodeError({DataType::Json()}, {kJsonbOid},
                        head + Stream().Row(1).Text("\x02{}").Trailer().bytes()),
            "POSTGRES read: public.t:1: column 'c1' (#1): unsupported jsonb format (expected "
            "version 1)");
  EXPECT_EQ(DecodeError({DataType::Json()}, {kJsonbOid},
                        head + Stream().Row(1).Text("").Trailer().bytes()),
            "POSTGRES read: public.t:1: column 'c1' (#1): unsupported jsonb format (expected "
            "version 1)");
  EXPECT_EQ(DecodeError({DataType::String()}, {kUuidOid},
                        head + Stream().Row(1).Text("abc").Trailer().bytes()),
            "POSTGRES read: public.t:1: column 'c1' (#1): a uuid field must have 16 bytes, got 3");
  // PostgreSQL's last timestamp (294276 AD) is past SQLFlow's.
  EXPECT_EQ(DecodeError({DataType::Timestamp()}, {kTimestampOid},
                        head + Stream().Row(1).I64(9223371331199999999).Trailer().bytes()),
            "POSTGRES read: public.t:1: column 'c1' (#1): timestamp out of range");
  EXPECT_EQ(DecodeError({DataType::Date()}, {kDateOid},
                        head + Stream().Row(1).I32(2147483600).Trailer().bytes()),
            "POSTGRES read: public.t:1: column 'c1' (#1): date out of range");
}

TEST(CopyDecodeTest, ColumnsWithoutADecoderAreSchemaErrors) {
  auto error = [](DataType type, uint32_t oid) -> std::string {
    try {
      CopyBinaryDecoder decoder(MakeSchema({type}), {oid}, 10, Context());
    } catch (const SchemaError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error(DataType::String(), kIntervalOid),
            "POSTGRES read: column 'c1' of type interval cannot be decoded as VARCHAR");
  EXPECT_EQ(error(DataType::String(), kInt4Oid),
            "POSTGRES read: column 'c1' of type integer cannot be decoded as VARCHAR");
  EXPECT_EQ(error(DataType::Int32(), kNumericOid),
            "POSTGRES read: column 'c1' of type numeric cannot be decoded as INTEGER");
  try {
    CopyBinaryDecoder decoder(MakeSchema({DataType::Int32()}), {kInt4Oid, kInt4Oid}, 10, Context());
    FAIL();
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "POSTGRES read: 2 column types for 1 columns");
  }
}

// CopyBinaryEncoder: exact bytes, encode → decode round trips of every encoding CannotEncode
// allows, and values that do not fit their target.

DataChunk MakeChunk(const std::vector<DataType>& types,
                    const std::vector<std::vector<Value>>& rows) {
  ChunkBuilder builder(MakeSchema(types));
  for (const std::vector<Value>& row : rows) builder.AppendRow(row);
  return builder.Finish();
}

std::string EncodeAll(const DataChunk& chunk, const std::vector<uint32_t>& oids) {
  CopyBinaryEncoder encoder(chunk.schema_ptr(), oids, Context());
  std::string bytes(CopyBinaryEncoder::Header());
  encoder.Encode(chunk, &bytes);
  bytes += CopyBinaryEncoder::Trailer();
  EXPECT_EQ(encoder.rows(), chunk.num_rows());
  return bytes;
}

/// The what() of the DataError that encoding `chunk` throws, or "" when none is thrown.
std::string EncodeError(const DataChunk& chunk, const std::vector<uint32_t>& oids) {
  try {
    EncodeAll(chunk, oids);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

TEST(CopyEncodeTest, HeaderAndTrailer) {
  EXPECT_EQ(CopyBinaryEncoder::Header(), std::string("PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19));
  EXPECT_EQ(CopyBinaryEncoder::Trailer(), std::string("\xFF\xFF"));
}

TEST(CopyEncodeTest, ExactBytesOfRows) {
  DataChunk chunk =
      MakeChunk({DataType::Int32(), DataType::Decimal(10, 2), DataType::String()},
                {{Value::Int(7, DataType::Int32()), Value::Decimal(1250, DataType::Decimal(10, 2)),
                  Value::Null(DataType::String())},
                 {Value::Null(DataType::Int32()), Value::Decimal(0, DataType::Decimal(10, 2)),
                  Value::String("ab")}});
  Stream expected;
  expected.Header();
  expected.Row(3).I32(7).Numeric(0, 0, 2, {12, 5000}).Null();
  expected.Row(3).Null().Numeric(0, 0, 2, {}).Text("ab");
  expected.Trailer();
  EXPECT_EQ(EncodeAll(chunk, {kInt4Oid, kNumericOid, kTextOid}), expected.bytes());
}

/// 10^38 - 1: the largest DECIMAL(38,s) unscaled value.
Int128 Max38() {
  Int128 v = 1;
  for (int i = 0; i < 38; ++i) v *= 10;
  return v - 1;
}

TEST(CopyEncodeTest, NumericsInCanonicalForm) {
  struct Case {
    Value value;
    NumericCase expected;  // type and text unused
  };
  const DataType d38_6 = DataType::Decimal(38, 6);
  const Int128 big = static_cast<Int128>(12345678901234567890ULL) * 1000000 + 123456;
  const Int128 nines = Max38();
  const std::vector<Case> cases = {
      {Value::Decimal(0, d38_6), {0, 0, 6, {}, {}, ""}},
      {Value::Decimal(100, DataType::Decimal(10, 4)), {-1, 0, 4, {100}, {}, ""}},
      {Value::Decimal(1, DataType::Decimal(10, 4)), {-1, 0, 4, {1}, {}, ""}},
      {Value::Decimal(-big, d38_6),
       {4, 0x4000, 6, {1234, 5678, 9012, 3456, 7890, 1234, 5600}, {}, ""}},
      {Value::Decimal(5, DataType::Decimal(2, 1)), {-1, 0, 1, {5000}, {}, ""}},
      {Value::Decimal(1, DataType::Decimal(9, 8)), {-2, 0, 8, {1}, {}, ""}},
      {Value::Decimal(nines, DataType::Decimal(38, 0)),
       {9, 0, 0, {99, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999}, {}, ""}},
      {Value::Decimal(-nines, DataType::Decimal(38, 38)),
       {-1, 0x4000, 38, {9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9900}, {}, ""}},
      {Value::Int(10000), {1, 0, 0, {1}, {}, ""}},
      {Value::Int(100000000), {2, 0, 0, {1}, {}, ""}},
      {Value::Int(std::numeric_limits<int64_t>::min()),
       {4, 0x4000, 0, {922, 3372, 368, 5477, 5808}, {}, ""}},
      {Value::UInt(std::numeric_limits<uint64_t>::max()),
       {4, 0, 0, {1844, 6744, 737, 955, 1615}, {}, ""}},
      {Value::Int(-7, DataType::Int8()), {0, 0x4000, 0, {7}, {}, ""}},
  };
  for (const Case& c : cases) {
    DataChunk chunk = MakeChunk({c.value.type()}, {{c.value}});
    Stream expected;
    expected.Header().Row(1);
    expected.Numeric(c.expected.weight, c.expected.sign, c.expected.dscale, c.expected.digits);
    expected.Trailer();
    EXPECT_EQ(EncodeAll(chunk, {kNumericOid}), expected.bytes()) << c.value.ToString();
  }
}

struct RoundTripCase {
  DataType type;
  std::vector<Value> values;
  uint32_t oid;
  DataType decoded;
  std::vector<std::string> expected;
};

std::vector<std::string> RoundTrip(const RoundTripCase& c) {
  std::vector<std::vector<Value>> rows;
  for (const Value& v : c.values) rows.push_back({v});
  rows.push_back({Value::Null(c.type)});
  return RowStrings(Decode({c.decoded}, {c.oid}, EncodeAll(MakeChunk({c.type}, rows), {c.oid})));
}

std::vector<RoundTripCase> NumberCases() {
  using V = Value;
  const DataType i8 = DataType::Int8(), i16 = DataType::Int16(), i32 = DataType::Int32(),
                 i64 = DataType::Int64(), u8 = DataType::UInt8(), u16 = DataType::UInt16(),
                 u32 = DataType::UInt32(), u64 = DataType::UInt64();
  const DataType n38 = DataType::Decimal(38, 0), n20 = DataType::Decimal(20, 0);
  const DataType d = DataType::Decimal(38, 6);
  const Int128 big = static_cast<Int128>(12345678901234567890ULL) * 1000000 + 123456;
  return {
      {i8, {V::Int(-128, i8), V::Int(127, i8)}, kInt2Oid, i16, {"-128", "127"}},
      {i8, {V::Int(-128, i8)}, kNumericOid, n38, {"-128"}},
      {i16, {V::Int(-32768, i16), V::Int(32767, i16)}, kInt2Oid, i16, {"-32768", "32767"}},
      {i16, {V::Int(-32768, i16)}, kInt4Oid, i32, {"-32768"}},
      {i16, {V::Int(-32768, i16)}, kInt8Oid, i64, {"-32768"}},
      {i32, {V::Int(-2147483648LL, i32)}, kInt4Oid, i32, {"-2147483648"}},
      {i32, {V::Int(-5, i32), V::Int(300, i32)}, kInt2Oid, i16, {"-5", "300"}},
      {i32, {V::Int(2147483647, i32)}, kNumericOid, n38, {"2147483647"}},
      {i64,
       {V::Int(std::numeric_limits<int64_t>::min()), V::Int(std::numeric_limits<int64_t>::max())},
       kInt8Oid,
       i64,
       {"-9223372036854775808", "9223372036854775807"}},
      {i64, {V::Int(-2147483648LL), V::Int(0)}, kInt4Oid, i32, {"-2147483648", "0"}},
      {i64,
       {V::Int(std::numeric_limits<int64_t>::min())},
       kNumericOid,
       n20,
       {"-9223372036854775808"}},
      {u8, {V::UInt(255, u8)}, kInt2Oid, i16, {"255"}},
      {u16, {V::UInt(65535, u16)}, kInt4Oid, i32, {"65535"}},
      {u32, {V::UInt(4294967295u, u32)}, kInt8Oid, i64, {"4294967295"}},
      {u64,
       {V::UInt(std::numeric_limits<uint64_t>::max())},
       kNumericOid,
       n20,
       {"18446744073709551615"}},
      {u64, {V::UInt(9223372036854775807ULL)}, kInt8Oid, i64, {"9223372036854775807"}},
      {u64, {V::UInt(32767)}, kInt2Oid, i16, {"32767"}},
      {DataType::Float32(),
       {V::Double(1.5, DataType::Float32())},
       kFloat4Oid,
       DataType::Float32(),
       {"1.5"}},
      {DataType::Float32(),
       {V::Double(-0.25, DataType::Float32())},
       kFloat8Oid,
       DataType::Float64(),
       {"-0.25"}},
      {DataType::Float64(),
       {V::Double(0.1), V::Double(-1e300)},
       kFloat8Oid,
       DataType::Float64(),
       {"0.1", "-1e+300"}},
      {DataType::Float64(), {V::Double(0.5)}, kFloat4Oid, DataType::Float32(), {"0.5"}},
      {d,
       {V::Decimal(big, d), V::Decimal(-1, d), V::Decimal(0, d)},
       kNumericOid,
       d,
       {"12345678901234567890.123456", "-0.000001", "0.000000"}},
      {DataType::Decimal(12, 2),
       {V::Decimal(1250, DataType::Decimal(12, 2))},
       kNumericOid,
       DataType::Decimal(14, 4),
       {"12.5000"}},
      {DataType::Decimal(12, 2),
       {V::Decimal(1250, DataType::Decimal(12, 2)), V::Decimal(-10, DataType::Decimal(12, 2))},
       kFloat8Oid,
       DataType::Float64(),
       {"12.5", "-0.1"}},
      {d, {V::Decimal(big, d)}, kFloat8Oid, DataType::Float64(), {"12345678901234567168"}},
      {n20, {V::Decimal(-32768, n20)}, kInt2Oid, i16, {"-32768"}},
      {n20, {V::Decimal(2147483647, n20)}, kInt4Oid, i32, {"2147483647"}},
      {n20,
       {V::Decimal(std::numeric_limits<int64_t>::min(), n20)},
       kInt8Oid,
       i64,
       {"-9223372036854775808"}},
  };
}

std::vector<RoundTripCase> OtherCases() {
  using V = Value;
  const DataType s = DataType::String(), j = DataType::Json(), ts = DataType::Timestamp(),
                 tz = DataType::Timestamp("UTC");
  const std::string blob("\0x\0", 3);
  return {
      {DataType::Boolean(),
       {V::Boolean(true), V::Boolean(false)},
       kBoolOid,
       DataType::Boolean(),
       {"true", "false"}},
      {s, {V::String("héllo"), V::String("")}, kTextOid, s, {"héllo", ""}},
      {s, {V::String("a")}, kVarcharOid, s, {"a"}},
      {s, {V::String("a ")}, kBpcharOid, s, {"a "}},
      {s, {V::String("pg_class")}, kNameOid, s, {"pg_class"}},
      {s, {V::String("{\"a\":1}")}, kJsonOid, j, {"{\"a\":1}"}},
      {s, {V::String("[1,2]")}, kJsonbOid, j, {"[1,2]"}},
      {s,
       {V::String("12345678-9ABC-def0-0123-456789ABCDEF"),
        V::String("00000000-0000-0000-0000-000000000000")},
       kUuidOid,
       s,
       {"12345678-9abc-def0-0123-456789abcdef", "00000000-0000-0000-0000-000000000000"}},
      {j, {V::Json("{\"b\":[true]}")}, kJsonOid, j, {"{\"b\":[true]}"}},
      {j, {V::Json("{}")}, kJsonbOid, j, {"{}"}},
      {j, {V::Json("null")}, kTextOid, s, {"null"}},
      {j, {V::Json("1")}, kVarcharOid, s, {"1"}},
      {DataType::Binary(),
       {V::Binary(blob), V::Binary("")},
       kByteaOid,
       DataType::Binary(),
       {"\\x00x\\x00", ""}},
      {DataType::Date(),
       {V::Date(-1), V::Date(kPgEpochDays), V::Date(-719162)},
       kDateOid,
       DataType::Date(),
       {"1969-12-31", "2000-01-01", "0001-01-01"}},
      {DataType::Date(),
       {V::Date(-1), V::Date(19000)},
       kTimestampOid,
       ts,
       {"1969-12-31 00:00:00", "2022-01-08 00:00:00"}},
      {DataType::Date(), {V::Date(0)}, kTimestamptzOid, tz, {"1970-01-01 00:00:00+00"}},
      {DataType::Time(),
       {V::Time(0), V::Time(86399999999)},
       kTimeOid,
       DataType::Time(),
       {"00:00:00", "23:59:59.999999"}},
      {ts,
       {V::Timestamp(-1), V::Timestamp(1721111045123456)},
       kTimestampOid,
       ts,
       {"1969-12-31 23:59:59.999999", "2024-07-16 06:24:05.123456"}},
      {tz, {V::Timestamp(1, "UTC")}, kTimestamptzOid, tz, {"1970-01-01 00:00:00.000001+00"}},
      {ts, {V::Timestamp(kPgEpochMicros)}, kTimestamptzOid, tz, {"2000-01-01 00:00:00+00"}},
      {tz, {V::Timestamp(0, "UTC")}, kTimestampOid, ts, {"1970-01-01 00:00:00"}},
  };
}

TEST(CopyEncodeTest, RoundTripsOfEveryEncoding) {
  std::vector<RoundTripCase> cases = NumberCases();
  for (RoundTripCase& c : OtherCases()) cases.push_back(std::move(c));
  for (const RoundTripCase& c : cases) {
    ASSERT_EQ(CannotEncode(c.type, c.oid), "") << c.type.ToSql() << " into " << c.oid;
    std::vector<std::string> expected = c.expected;
    expected.push_back("NULL");
    EXPECT_EQ(RoundTrip(c), expected) << c.type.ToSql() << " into " << c.oid;
  }
}

TEST(CopyEncodeTest, InfinityDatesAndTimestampsPassThrough) {
  const int32_t dmax = std::numeric_limits<int32_t>::max();
  const int32_t dmin = std::numeric_limits<int32_t>::min();
  const int64_t tmax = std::numeric_limits<int64_t>::max();
  const int64_t tmin = std::numeric_limits<int64_t>::min();
  DataChunk chunk = MakeChunk({DataType::Date(), DataType::Date(), DataType::Timestamp()},
                              {{Value::Date(dmax), Value::Date(dmax), Value::Timestamp(tmax)},
                               {Value::Date(dmin), Value::Date(dmin), Value::Timestamp(tmin)}});
  const std::vector<uint32_t> oids = {kDateOid, kTimestampOid, kTimestamptzOid};
  std::string bytes = EncodeAll(chunk, oids);
  Stream expected;
  expected.Header().Row(3).I32(dmax).I64(tmax).I64(tmax).Row(3).I32(dmin).I64(tmin).I64(tmin);
  EXPECT_EQ(bytes, expected.Trailer().bytes());
}

TEST(CopyEncodeTest, ValuesThatDoNotFitAreDataErrorsAndLeaveTheOutputAlone) {
  CopyBinaryEncoder encoder(MakeSchema({DataType::Int64()}), {kInt4Oid}, Context());
  std::string out = "x";
  encoder.Encode(MakeChunk({DataType::Int64()}, {{Value::Int(1)}}), &out);
  const std::string before = out;
  try {
    encoder.Encode(MakeChunk({DataType::Int64()}, {{Value::Int(2)}, {Value::Int(3000000000)}}),
                   &out);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(),
                 "POSTGRES write: public.t:3: column 'c1' (#1): value out of range for type "
                 "integer; value: '3000000000'");
    EXPECT_EQ(e.location().line, 3);
  }
  EXPECT_EQ(out, before);
  EXPECT_EQ(encoder.rows(), 1);

  const std::string at = "POSTGRES write: public.t:1: column 'c1' (#1): ";
  EXPECT_EQ(EncodeError(MakeChunk({DataType::Int32()}, {{Value::Int(70000, DataType::Int32())}}),
                        {kInt2Oid}),
            at + "value out of range for type smallint; value: '70000'");
  EXPECT_EQ(EncodeError(MakeChunk({DataType::UInt64()},
                                  {{Value::UInt(std::numeric_limits<uint64_t>::max())}}),
                        {kInt8Oid}),
            at + "value out of range for type bigint; value: '18446744073709551615'");
  const DataType n20 = DataType::Decimal(20, 0);
  EXPECT_EQ(EncodeError(MakeChunk({n20}, {{Value::Decimal(Int128{1} << 63, n20)}}), {kInt8Oid}),
            at + "value out of range for type bigint; value: '9223372036854775808'");
  EXPECT_EQ(
      EncodeError(MakeChunk({DataType::String()}, {{Value::String("not-a-uuid")}}), {kUuidOid}),
      at + "invalid UUID (expected 8-4-4-4-12 hexadecimal digits); value: 'not-a-uuid'");
  EXPECT_EQ(EncodeError(MakeChunk({DataType::String()},
                                  {{Value::String("12345678-9abc-def0-0123-456789abcdeg")}}),
                        {kUuidOid}),
            at + "invalid UUID (expected 8-4-4-4-12 hexadecimal digits); value: "
                 "'12345678-9abc-def0-0123-456789abcdeg'");
  EXPECT_EQ(EncodeError(MakeChunk({DataType::String()},
                                  {{Value::String("123456789-abc-def0-0123-456789abcdef")}}),
                        {kUuidOid}),
            at + "invalid UUID (expected 8-4-4-4-12 hexadecimal digits); value: "
                 "'123456789-abc-def0-0123-456789abcdef'");
  EXPECT_EQ(EncodeError(MakeChunk({DataType::Timestamp()},
                                  {{Value::Timestamp(std::numeric_limits<int64_t>::min() + 1)}}),
                        {kTimestampOid}),
            at + "value out of range for type timestamp without time zone; value: "
                 "'-9223372036854775807 microseconds since 1970-01-01'");
  EXPECT_EQ(
      EncodeError(MakeChunk({DataType::Date()}, {{Value::Date(2147483000)}}), {kTimestampOid}),
      at + "value out of range for type timestamp without time zone; value: "
           "'2147483000 days since 1970-01-01'");
}

TEST(CopyEncodeTest, SlicedChunksWithNulls) {
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 20; ++i) {
    rows.push_back({i % 3 == 0 ? Value::Null(DataType::Int16()) : Value::Int(i, DataType::Int16()),
                    i % 4 == 0 ? Value::Null(DataType::String()) : Value::String(std::to_string(i)),
                    Value::Boolean(i % 2 == 0)});
  }
  const std::vector<DataType> types = {DataType::Int16(), DataType::String(), DataType::Boolean()};
  DataChunk chunk = MakeChunk(types, rows).Slice(5, 11);
  const std::vector<uint32_t> oids = {kInt2Oid, kTextOid, kBoolOid};
  EXPECT_EQ(RowStrings(Decode(types, oids, EncodeAll(chunk, oids))), RowStrings({chunk}));
}

TEST(CopyEncodeTest, ColumnsThatCannotBeWrittenAreSchemaErrors) {
  try {
    CopyBinaryEncoder encoder(MakeSchema({DataType::Int64()}), {kIntervalOid}, Context());
    FAIL();
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(),
                 "POSTGRES write: column 'c1': INT64 values cannot be written to a column of "
                 "type interval");
  }
}

}  // namespace
}  // namespace sqlflow::pg
