#include "sqlflow/connectors/csv/csv_records.h"

#include <algorithm>
#include <fstream>
#include <functional>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"

namespace sqlflow::csv::internal {
namespace {

constexpr size_t kMaxCapture = 4096;

/// Walks the bytes of a CSV file, tracking quotes, records and both line counts.
class Walker {
 public:
  /// `want(line)`: capture the record starting at DuckDB line `line`?
  /// `emit(record)`: a captured record; return false to stop.
  Walker(const CsvDialect& d, std::function<bool(int64_t)> want,
         std::function<bool(RawRecord&&)> emit)
      : d_(d), want_(std::move(want)), emit_(std::move(emit)) {
    quote_ = d.quote.empty() ? -1 : static_cast<unsigned char>(d.quote[0]);
    escape_ = d.escape.empty() ? -1 : static_cast<unsigned char>(d.escape[0]);
    StartRecord();
  }

  /// Feed bytes; false once `emit` asked to stop.
  bool Feed(const char* data, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      if (!Step(static_cast<unsigned char>(data[i]))) return false;
    }
    return true;
  }

  /// End of file: emit a last unterminated record.
  void Finish() {
    if (capture_ && (!current_.text.empty() || !field_.empty())) {
      current_.unterminated = state_ == State::kQuoted || state_ == State::kEscaped;
      EndRecord();
    }
  }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kEscaped, kAfterQuote };

  void StartRecord() {
    current_ = RawRecord{line_, physical_, {}, {}};
    field_.clear();
    capture_ = want_(line_);
    state_ = State::kFieldStart;
  }
  void Append(unsigned char c) {
    if (!capture_) return;
    if (field_.size() < kMaxCapture) field_.push_back(static_cast<char>(c));
  }
  void Text(unsigned char c) {
    if (capture_ && current_.text.size() < kMaxCapture)
      current_.text.push_back(static_cast<char>(c));
  }
  void EndField() {
    if (capture_) current_.fields.push_back(std::move(field_));
    field_.clear();
    state_ = State::kFieldStart;
  }
  bool EndRecord() {
    EndField();
    bool go_on = true;
    if (capture_) go_on = emit_(std::move(current_));
    ++line_;
    StartRecord();
    return go_on;
  }
  /// A line break byte: true when it is the second byte of "\r\n".
  bool SecondOfCrLf(unsigned char c) const { return c == '\n' && last_ == '\r'; }

  bool Step(unsigned char c) {
    bool second = SecondOfCrLf(c);
    last_ = c;
    if (second) return true;  // "\r\n" counts once, as the "\r"
    if (capture_) ++current_.size;
    bool newline = c == '\n' || c == '\r';
    if (newline) ++physical_;
    switch (state_) {
      case State::kQuoted:
        if (escape_ >= 0 && c == escape_ && escape_ != quote_) {
          state_ = State::kEscaped;
        } else if (c == quote_) {
          state_ = State::kAfterQuote;
        } else {
          Append(c);
        }
        Text(c);
        return true;
      case State::kEscaped:
        Append(c);
        Text(c);
        state_ = State::kQuoted;
        return true;
      case State::kAfterQuote:
        if (c == quote_ && escape_ == quote_) {  // doubled quote: a literal quote
          Append(c);
          Text(c);
          state_ = State::kQuoted;
          return true;
        }
        break;
      default:
        break;
    }
    if (newline) return EndRecord();
    Text(c);
    if (c == static_cast<unsigned char>(d_.delimiter)) {
      EndField();
    } else if (state_ == State::kFieldStart && c == quote_) {
      state_ = State::kQuoted;
    } else {
      Append(c);
      state_ = State::kUnquoted;
    }
    return true;
  }

  const CsvDialect& d_;
  std::function<bool(int64_t)> want_;
  std::function<bool(RawRecord&&)> emit_;
  int quote_;
  int escape_;
  State state_ = State::kFieldStart;
  int64_t line_ = 1;
  int64_t physical_ = 1;
  unsigned char last_ = 0;
  bool capture_ = false;
  RawRecord current_;
  std::string field_;
};

/// Run `walker` over the file; skips a UTF-8 byte order mark.
void WalkFile(const std::string& path, Walker& walker) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> buffer(1 << 20);
  bool first = true;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    size_t n = static_cast<size_t>(in.gcount());
    if (n == 0) break;
    size_t skip = 0;
    if (first && n >= 3 && std::string_view(buffer.data(), 3) == "\xEF\xBB\xBF") skip = 3;
    first = false;
    if (!walker.Feed(buffer.data() + skip, n - skip)) return;
  }
  walker.Finish();
}

/// Whether a record walk can read `path` as plain bytes (not a compressed file).
bool IsPlainFile(const std::string& path, const CsvDialect& dialect) {
  if (dialect.compression == "gzip" || dialect.compression == "zstd") return false;
  if (dialect.compression == "none") return true;
  return !EndsWith(path, ".gz") && !EndsWith(path, ".zst");
}

std::string Latin1ToUtf8(const std::string& bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

}  // namespace

std::map<int64_t, RawRecord> FindRecords(const std::string& path, const CsvDialect& dialect,
                                         const std::vector<int64_t>& lines) {
  std::map<int64_t, RawRecord> out;
  if (lines.empty() || !IsPlainFile(path, dialect)) return out;
  int64_t last = *std::max_element(lines.begin(), lines.end());
  Walker walker(
      dialect, [&](int64_t line) { return std::binary_search(lines.begin(), lines.end(), line); },
      [&](RawRecord&& r) {
        int64_t line = r.line;
        out.emplace(line, std::move(r));
        return line < last;
      });
  WalkFile(path, walker);
  return out;
}

std::optional<std::vector<std::string>> ReadFirstRecord(const std::string& path,
                                                        const CsvDialect& dialect) {
  auto found = FindRecords(path, dialect, {1});  // empty for a compressed file
  if (found.empty()) return std::nullopt;
  std::vector<std::string> fields;
  for (const auto& f : found.begin()->second.fields) {
    fields.push_back(dialect.encoding == "latin-1" ? Latin1ToUtf8(f) : f);
  }
  return fields;
}

std::string Printable(const std::string& bytes, const std::string& encoding) {
  std::string text = encoding == "latin-1" ? Latin1ToUtf8(bytes) : bytes;
  std::string out;
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t bad = 0;
    bool valid = IsValidUtf8(rest, &bad);
    std::string_view good = valid ? rest : rest.substr(0, bad);
    for (char ch : good) {
      auto c = static_cast<unsigned char>(ch);
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c < 0x20 && c != '\t') {
        out += fmt::format("\\x{:02X}", c);
      } else {
        out.push_back(ch);
      }
    }
    if (valid) break;
    out += fmt::format("\\x{:02X}", static_cast<unsigned char>(rest[bad]));
    rest = rest.substr(bad + 1);
  }
  return out;
}

int FirstInvalidUtf8Field(const RawRecord& record) {
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (!IsValidUtf8(record.fields[i])) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace sqlflow::csv::internal
