#include "sqlflow/connectors/csv/csv_errors.h"

#include <map>

#include "sqlflow/connectors/csv/csv_records.h"

namespace sqlflow::csv::internal {
namespace {

using Kind = DuckCsvError::Kind;

/// The integer right after the last `marker` in `text`, or -1. (Plain string search: the
/// message may quote a multi-megabyte line, too much for std::regex.)
int64_t NumberAfter(const std::string& text, const std::string& marker, size_t* at = nullptr) {
  size_t pos = text.rfind(marker);
  if (pos == std::string::npos) return -1;
  pos += marker.size();
  size_t end = pos;
  while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  if (end == pos) return -1;
  if (at) *at = end;
  return std::stoll(text.substr(pos, end - pos));
}

/// The text between the first `open` at or after `from` and the following `close`.
bool Between(const std::string& text, const std::string& open, const std::string& close,
             size_t from, std::string* out, size_t* end) {
  size_t pos = text.find(open, from);
  if (pos == std::string::npos) return false;
  pos += open.size();
  size_t stop = text.find(close, pos);
  if (stop == std::string::npos) return false;
  *out = text.substr(pos, stop - pos);
  *end = stop + close.size();
  return true;
}

/// Find which of DuckDB's known descriptions the message carries. Descriptions follow the
/// quoted line, so they are searched from the end.
void Classify(const std::string& message, DuckCsvError* e) {
  size_t conv = message.rfind("Error when converting column \"");
  size_t end = 0;
  if (conv != std::string::npos &&
      Between(message, "column \"", "\". Could not convert string \"", conv, &e->column, &end)) {
    size_t type_at = message.find("\" to '", end);
    size_t type_end = type_at == std::string::npos ? type_at : message.find('\'', type_at + 6);
    if (type_end != std::string::npos) {
      e->kind = Kind::kConversion;
      e->value = message.substr(end, type_at - end);
      e->type = message.substr(type_at + 6, type_end - type_at - 6);
      e->description = message.substr(conv, type_end + 1 - conv);
      return;
    }
  }
  // The line-size check comes first: DuckDB's message for an over-long quoted value also
  // mentions quotes in its hints (pinned by CsvRead.TenMegabyteFieldIsReadIntact).
  if ((e->max_line_size = NumberAfter(message, "Maximum line size of ")) >= 0) {
    e->kind = Kind::kLineSize;
  } else if ((e->expected = NumberAfter(message, "Expected Number of Columns: ")) >= 0) {
    e->kind = Kind::kColumnCount;
    e->found = NumberAfter(message, " Found: ");
  } else if (message.rfind("unterminated quote") != std::string::npos) {
    e->kind = Kind::kUnterminatedQuote;
  } else if (message.rfind("Invalid unicode") != std::string::npos) {
    e->kind = Kind::kInvalidUnicode;
  }
}

std::string ColumnName(const Schema& schema, int index) {
  return index >= 0 && static_cast<size_t>(index) < schema.num_fields()
             ? schema.field(static_cast<size_t>(index)).name
             : "";
}

}  // namespace

std::optional<DuckCsvError> ParseDuckCsvError(const std::string& message) {
  if (message.find("CSV Error on Line: ") == std::string::npos) return std::nullopt;
  DuckCsvError e;
  e.line = NumberAfter(message, "CSV Error on Line: ");
  if (e.line < 0) return std::nullopt;
  size_t file_at = message.rfind("\n  file = ");
  if (file_at != std::string::npos) {
    size_t start = file_at + 10;
    e.file = message.substr(start, message.find('\n', start) - start);
  }
  Classify(message, &e);
  if (e.description.empty()) {
    // Fallback: the first line after the original line (which may itself span lines).
    size_t at = message.find("\nOriginal Line:");
    size_t eol = message.find('\n', at == std::string::npos ? 0 : at + 1);
    size_t next = eol == std::string::npos ? eol : message.find('\n', eol + 1);
    if (eol != std::string::npos) e.description = message.substr(eol + 1, next - eol - 1);
  }
  return e;
}

namespace {

/// What is wrong, in words that say what to fix.
std::string Describe(const DuckCsvError& error) {
  switch (error.kind) {
    case Kind::kConversion:
      return "cannot convert the value to " + error.type +
             " (set column_types to read the column as another type)";
    case Kind::kColumnCount:
      return "expected " + std::to_string(error.expected) + " columns, found " +
             std::to_string(error.found);
    case Kind::kUnterminatedQuote:
      return "unterminated quoted value: a quote opens the value and never closes";
    case Kind::kInvalidUnicode:
      return "invalid UTF-8 byte sequence (set encoding: 'latin-1' if the file is Latin-1)";
    case Kind::kLineSize:
      return "line longer than max_line_size (" + std::to_string(error.max_line_size) +
             " bytes): raise max_line_size";
    case Kind::kOther:
      break;
  }
  return error.description;
}

/// Fill the column and value of `loc` from `error` and the record found in the file (when
/// `record` is not null).
void LocateValue(const DuckCsvError& error, const RawRecord* record, const Schema& schema,
                 const CsvDialect& dialect, DataLocation* loc) {
  auto set_column = [&](int index) {
    loc->column = ColumnName(schema, index);
    loc->column_index = index >= 0 ? index + 1 : 0;
  };
  auto printable = [&](const std::string& bytes, const std::string& encoding) {
    return TruncateForMessage(Printable(bytes, encoding));
  };
  if (error.kind == Kind::kConversion) {
    set_column(schema.FieldIndex(error.column));
    loc->value = TruncateForMessage(error.value);
    return;
  }
  if (record == nullptr) return;
  if (error.kind == Kind::kUnterminatedQuote && !record->fields.empty()) {
    // The quoted value that never closes is the last field: it runs to the end of the file.
    set_column(static_cast<int>(record->fields.size()) - 1);
    loc->value = printable(record->fields.back(), dialect.encoding);
  } else if (error.kind == Kind::kInvalidUnicode) {
    int index = FirstInvalidUtf8Field(*record);
    set_column(index);
    if (index >= 0) loc->value = printable(record->fields[static_cast<size_t>(index)], "");
  } else {
    loc->value = printable(record->text, dialect.encoding);
  }
}

}  // namespace

DataError MakeCsvDataError(const std::string& connector, const std::string& operation,
                           const DuckCsvError& error, const std::vector<std::string>& files,
                           const Schema& schema, const CsvDialect& dialect) {
  DataLocation loc;
  loc.object = !error.file.empty() ? error.file : files.size() == 1 ? files[0] : "";
  loc.line = error.line;
  std::map<int64_t, RawRecord> records;
  const RawRecord* record = nullptr;
  if (!loc.object.empty()) {
    records = FindRecords(loc.object, dialect, {error.line});
    if (auto it = records.find(error.line); it != records.end()) {
      record = &it->second;
      loc.line = record->physical_line;  // the file's line, not DuckDB's record count
    }
  }
  DuckCsvError actual = error;
  if (error.kind == Kind::kUnterminatedQuote && record != nullptr && !record->unterminated &&
      record->size > dialect.max_line_size) {
    // Under strict mode DuckDB reports a quoted value longer than its buffer as an
    // unterminated quote; the quote does close, so the real problem is the line size
    // (pinned by CsvRead.TenMegabyteFieldIsReadIntact).
    actual.kind = Kind::kLineSize;
    actual.max_line_size = dialect.max_line_size;
  }
  LocateValue(actual, record, schema, dialect, &loc);
  return DataError(connector, operation, std::move(loc), Describe(actual));
}

}  // namespace sqlflow::csv::internal
