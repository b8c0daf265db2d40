// RecordsCollector: pass 1 (AddPage) parses each page, checks it and folds its records into
// the column kinds, keeping the body in a spool; pass 2 (Finish) re-parses page by page and
// builds chunks of the final schema.

#include "sqlflow/connectors/rest/rest_records.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>
#include <simdjson.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/rest/rest_columns_internal.h"
#include "sqlflow/connectors/rest/rest_json_internal.h"
#include "sqlflow/connectors/rest/rest_spool_internal.h"

namespace sqlflow::rest {

using internal::BadResponse;
using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

const char* KindName(element value) {
  switch (value.type()) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
    default:
      return "a number";
  }
}

/// Where the records of a page are: an array, one object, or none (null at records_path).
struct PageRecords {
  std::optional<simdjson::dom::array> array;
  std::optional<simdjson::dom::object> single;
  int64_t count() const {
    if (array) return static_cast<int64_t>(array->size());
    return single ? 1 : 0;
  }
};

/// Whether an "error"/"errors" value says something (not null, false, "", [] or {}).
bool IsErrorValue(element value) {
  switch (value.type()) {
    case element_type::NULL_VALUE:
      return false;
    case element_type::BOOL:
      return value.get_bool().value_unsafe();
    case element_type::STRING:
      return !value.get_string().value_unsafe().empty();
    case element_type::ARRAY:
      return value.get_array().value_unsafe().size() > 0;
    case element_type::OBJECT:
      return value.get_object().value_unsafe().size() > 0;
    default:
      return true;
  }
}

/// The top-level "error" or "errors" value of `root` when it says something.
std::optional<element> ErrorValue(element root) {
  if (!root.is_object()) return std::nullopt;
  for (const char* key : {"error", "errors"}) {
    auto value = root.get_object().value_unsafe().at_key(key);
    if (!value.error() && IsErrorValue(value.value_unsafe())) return value.value_unsafe();
  }
  return std::nullopt;
}

std::string TopLevelKeys(element root) {
  if (!root.is_object()) return fmt::format("the response is {}", KindName(root));
  std::vector<std::string> keys;
  simdjson::dom::object object = root.get_object().value_unsafe();
  for (auto field : object) {
    if (keys.size() == 20) {
      keys.emplace_back("...");
      break;
    }
    keys.emplace_back(field.key);
  }
  if (keys.empty()) return "the response is an empty object";
  return "the top-level keys are: " + Join(keys, ", ");
}

/// Find and check the records of a parsed page (rest_records.h lists the errors).
PageRecords FindRecords(element root, const RecordsOptions& options, const std::string& url,
                        std::string_view body) {
  const std::string& path = options.records_path;
  std::optional<element> error = ErrorValue(root);
  std::optional<element> at = internal::AtPath(root, path);
  bool none = !at || at->is_null() || (path.empty() && root.is_object());
  if (error && none) {
    throw BadResponse(options.connector, url,
                      fmt::format("the server answered with an error: {}",
                                  TruncateForMessage(internal::ScalarText(*error), 200)),
                      body);
  }
  if (!at) {
    throw BadResponse(
        options.connector, url,
        fmt::format("records_path '{}' not found in the response; {}", path, TopLevelKeys(root)),
        body);
  }
  PageRecords records;
  if (at->is_null()) return records;
  if (at->is_object()) {
    records.single = at->get_object().value_unsafe();
    return records;
  }
  if (!at->is_array()) {
    std::string where = path.empty() ? "the response" : fmt::format("records_path '{}'", path);
    throw BadResponse(
        options.connector, url,
        fmt::format("{} is {}, not an array of records or an object", where, KindName(*at)), body);
  }
  records.array = at->get_array().value_unsafe();
  size_t index = 0;
  for (element record : *records.array) {
    ++index;
    if (!record.is_object()) {
      throw BadResponse(options.connector, url,
                        fmt::format("record {} is {}, not an object", index, KindName(record)),
                        body);
    }
  }
  return records;
}

std::string ParseFailure(std::string_view body, simdjson::error_code code) {
  size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return "the response is empty, not JSON";
  if (body[start] == '<') return "the response is not JSON (it looks like HTML or XML)";
  return fmt::format("the response is not valid JSON ({})", simdjson::error_message(code));
}

/// Parse `*body`; when simdjson rejects a number it cannot hold, parse the body with such
/// numbers quoted (QuoteBigNumbers) and keep that form in `*body`.
simdjson::error_code ParseBody(simdjson::dom::parser& parser, std::string* body, element* root) {
  simdjson::error_code code = parser.parse(*body).get(*root);
  if (code != simdjson::NUMBER_ERROR) return code;
  std::optional<std::string> quoted = internal::QuoteBigNumbers(*body);
  if (!quoted) return code;
  simdjson::error_code again = parser.parse(*quoted).get(*root);
  if (again == simdjson::SUCCESS) *body = std::move(*quoted);
  return again == simdjson::SUCCESS ? again : code;
}

/// Pass 2: re-parse the spooled pages one at a time and build chunks of the final schema.
class RecordsStream : public ChunkStream {
 public:
  RecordsStream(RecordsOptions options, std::unique_ptr<internal::PageSpool> spool,
                std::unique_ptr<internal::RecordShaper> shaper, Schema schema)
      : options_(std::move(options)),
        spool_(std::move(spool)),
        shaper_(std::move(shaper)),
        schema_(std::make_shared<Schema>(std::move(schema))),
        builder_(schema_) {}

  const Schema& schema() const override { return *schema_; }
  StreamProgress progress() const override { return {.rows = rows_}; }

  std::optional<DataChunk> Next() override {
    int64_t rows = 0;
    simdjson::dom::object record;
    while (rows < options_.batch_size && NextRecord(&record)) {
      shaper_->AppendRecord(record, &builder_);
      ++rows;
    }
    if (rows == 0) return std::nullopt;
    rows_ += rows;
    DataChunk chunk = builder_.Finish();
    // A schema without columns (every record was {}) still has rows.
    if (schema_->num_fields() == 0) return DataChunk(schema_, {}, rows);
    return chunk;
  }

 private:
  /// Step to the next record, loading (parsing) the next page when the current one is done.
  bool NextRecord(simdjson::dom::object* record) {
    while (true) {
      if (single_) {
        *record = *single_;
        single_.reset();
        return true;
      }
      if (it_ && *it_ != *end_) {
        *record = (**it_).get_object().value_unsafe();
        ++*it_;
        return true;
      }
      if (!spool_->Next(&body_)) return false;
      element root;
      if (ParseBody(parser_, &body_, &root) != simdjson::SUCCESS) {
        throw internal::BadResponse(options_.connector, "(spooled page)",
                                    "a kept page no longer parses", body_);
      }
      PageRecords page = FindRecords(root, options_, "(spooled page)", body_);
      single_ = page.single;
      it_.reset();
      end_.reset();
      if (page.array) {
        it_.emplace(page.array->begin());
        end_.emplace(page.array->end());
      }
    }
  }

  RecordsOptions options_;
  std::unique_ptr<internal::PageSpool> spool_;
  std::unique_ptr<internal::RecordShaper> shaper_;
  std::shared_ptr<const Schema> schema_;
  ChunkBuilder builder_;
  simdjson::dom::parser parser_;
  std::string body_;
  std::optional<simdjson::dom::object> single_;
  std::optional<simdjson::dom::array::iterator> it_;
  std::optional<simdjson::dom::array::iterator> end_;
  int64_t rows_ = 0;
};

}  // namespace

struct RecordsCollector::Impl {
  RecordsOptions options;
  std::unique_ptr<internal::PageSpool> spool;
  std::unique_ptr<internal::RecordShaper> shaper;
  simdjson::dom::parser parser;
  std::optional<element> last_root;  ///< Into `parser`'s document: valid until the next parse.
  int64_t total_records = 0;
  Schema final_schema;  ///< The schema handed to the stream (after Finish).
};

RecordsCollector::RecordsCollector(RecordsOptions options) : impl_(std::make_unique<Impl>()) {
  options.batch_size = std::max<int64_t>(options.batch_size, 1);
  impl_->spool = std::make_unique<internal::PageSpool>(
      options.connector, options.spool_memory_bytes, options.spool_dir);
  impl_->shaper = std::make_unique<internal::RecordShaper>(options.connector, options.flatten);
  impl_->options = std::move(options);
}

RecordsCollector::~RecordsCollector() = default;

int64_t RecordsCollector::AddPage(std::string body, const std::string& redacted_url) {
  Impl& m = *impl_;
  if (!m.spool) throw std::logic_error("RecordsCollector::AddPage after Finish");
  m.last_root.reset();
  element root;
  simdjson::error_code code = ParseBody(m.parser, &body, &root);
  if (code != simdjson::SUCCESS) {
    throw BadResponse(m.options.connector, redacted_url, ParseFailure(body, code), body);
  }
  PageRecords records = FindRecords(root, m.options, redacted_url, body);
  if (records.single) m.shaper->Fold(*records.single);
  if (records.array) {
    for (element record : *records.array) m.shaper->Fold(record.get_object().value_unsafe());
  }
  m.spool->Add(std::move(body));
  m.last_root = root;
  m.total_records += records.count();
  return records.count();
}

std::optional<std::string> RecordsCollector::LastPageValue(const std::string& path) const {
  if (!impl_->last_root) return std::nullopt;
  std::optional<element> value = internal::AtPath(*impl_->last_root, path);
  if (!value || value->is_null() || value->is_object() || value->is_array()) return std::nullopt;
  return internal::ScalarText(*value);
}

int64_t RecordsCollector::total_records() const { return impl_->total_records; }

Schema RecordsCollector::schema() const {
  return impl_->shaper ? impl_->shaper->MakeSchema() : impl_->final_schema;
}

std::unique_ptr<ChunkStream> RecordsCollector::Finish() {
  Impl& m = *impl_;
  if (!m.spool) throw std::logic_error("RecordsCollector::Finish called twice");
  m.final_schema = m.shaper->MakeSchema();
  return std::make_unique<RecordsStream>(m.options, std::move(m.spool), std::move(m.shaper),
                                         m.final_schema);
}

}  // namespace sqlflow::rest
