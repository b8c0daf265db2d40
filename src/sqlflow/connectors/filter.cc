#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/filter_internal.h"

namespace sqlflow {

using filter_internal::CoerceValue;
using filter_internal::JsonScalarToValue;

const char* FilterOpSql(FilterOp op) {
  switch (op) {
    case FilterOp::kEq:
      return "=";
    case FilterOp::kNe:
      return "<>";
    case FilterOp::kLt:
      return "<";
    case FilterOp::kLe:
      return "<=";
    case FilterOp::kGt:
      return ">";
    case FilterOp::kGe:
      return ">=";
    case FilterOp::kIn:
      return "IN";
  }
  return "?";
}

const char* WriteModeName(WriteMode mode) {
  switch (mode) {
    case WriteMode::kReplace:
      return "replace";
    case WriteMode::kAppend:
      return "append";
    case WriteMode::kUpsert:
      return "upsert";
  }
  return "unknown";
}

bool ParseWriteMode(std::string_view text, WriteMode* out) {
  const std::string mode = ToLower(Trim(text));
  if (mode == "replace") {
    *out = WriteMode::kReplace;
  } else if (mode == "append") {
    *out = WriteMode::kAppend;
  } else if (mode == "upsert") {
    *out = WriteMode::kUpsert;
  } else {
    return false;
  }
  return true;
}

// ---- ParseFilters ------------------------------------------------------------------------

namespace {

constexpr const char* kFiltersParam = "filters";
constexpr const char* kOperatorList = "operators: =, ==, !=, <>, <, <=, >, >=, in";

std::optional<FilterOp> ParseOp(std::string_view text) {
  static constexpr std::pair<std::string_view, FilterOp> kOps[] = {
      {"=", FilterOp::kEq},  {"==", FilterOp::kEq}, {"!=", FilterOp::kNe},
      {"<>", FilterOp::kNe}, {"<", FilterOp::kLt},  {"<=", FilterOp::kLe},
      {">", FilterOp::kGt},  {">=", FilterOp::kGe}, {"in", FilterOp::kIn}};
  const std::string op = ToLower(Trim(text));
  for (const auto& [name, value] : kOps) {
    if (op == name) return value;
  }
  return std::nullopt;
}

// Spellings other tools use, pointed at ours.
std::string OpSuggestion(std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> kNear[] = {
      {"eq", "="},    {"ne", "!="},  {"neq", "!="},  {"lt", "<"},   {"le", "<="},
      {"lte", "<="},  {"gt", ">"},   {"ge", ">="},   {"gte", ">="}, {"=>", ">="},
      {"=<", "<="},   {"===", "=="}, {"$eq", "="},   {"$ne", "!="}, {"$lt", "<"},
      {"$lte", "<="}, {"$gt", ">"},  {"$gte", ">="}, {"$in", "in"}};
  const std::string op = ToLower(Trim(text));
  for (const auto& [name, ours] : kNear) {
    if (op == name) return fmt::format("did you mean '{}'?", ours);
  }
  return kOperatorList;
}

class FilterParser {
 public:
  FilterParser(std::string connector, const Schema* schema)
      : connector_(std::move(connector)), schema_(schema) {}

  void Column(const std::string& column, const nlohmann::json& condition) {
    const Field* field = nullptr;
    if (schema_ != nullptr) {
      const int index = schema_->FieldIndex(column);
      if (index < 0) {
        const std::string near = ClosestMatch(column, schema_->names());
        Problem(fmt::format("unknown column '{}'", column),
                near.empty() ? fmt::format("columns: {}", Join(schema_->names(), ", "))
                             : fmt::format("did you mean '{}'?", near));
        return;
      }
      field = &schema_->field(static_cast<size_t>(index));
    }
    const std::string name = field != nullptr ? field->name : column;
    if (condition.is_object()) {
      if (condition.empty()) {
        Problem(fmt::format("column '{}': no operator given", column),
                fmt::format("write {{\"{}\": {{\">=\": 10}}}}", column));
      }
      for (const auto& [op_text, operand] : condition.items()) {
        const std::optional<FilterOp> op = ParseOp(op_text);
        if (!op) {
          Problem(fmt::format("column '{}': unknown operator '{}'", column, op_text),
                  OpSuggestion(op_text));
          continue;
        }
        Add(name, field, *op, op_text, operand);
      }
    } else if (condition.is_array()) {
      Problem(fmt::format("column '{}': a list of values needs the 'in' operator", column),
              fmt::format("write {{\"{}\": {{\"in\": [...]}}}}", column));
    } else {
      Add(name, field, FilterOp::kEq, "=", condition);
    }
  }

  void Problem(std::string message, std::string suggestion = "") {
    problems_.push_back({kFiltersParam, std::move(message), std::move(suggestion)});
  }

  std::vector<Filter> Finish() {
    if (!problems_.empty()) throw ParameterError(connector_, std::move(problems_));
    return std::move(filters_);
  }

 private:
  void Add(const std::string& column, const Field* field, FilterOp op, std::string_view op_text,
           const nlohmann::json& operand) {
    Filter filter{column, op, {}};
    if (op == FilterOp::kIn) {
      if (!operand.is_array()) {
        Problem(fmt::format("column '{}': 'in' needs a list of values", column),
                fmt::format("write {{\"{}\": {{\"in\": [{}]}}}}", column, operand.dump()));
        return;
      }
      if (operand.empty()) {
        Problem(fmt::format("column '{}': 'in' needs at least one value", column));
        return;
      }
      for (const nlohmann::json& item : operand) {
        // NULL in a list is allowed and, as in SQL, never matches.
        std::optional<Value> value = Operand(column, field, item);
        if (!value) return;
        filter.values.push_back(std::move(*value));
      }
    } else {
      if (operand.is_null()) {
        Problem(
            fmt::format("column '{}': null never matches '{}' (a comparison with NULL is "
                        "never true)",
                        column, op_text));
        return;
      }
      if (operand.is_array() || operand.is_object()) {
        Problem(fmt::format("column '{}': operator '{}' needs a single value, got {}", column,
                            op_text, operand.type_name()));
        return;
      }
      std::optional<Value> value = Operand(column, field, operand);
      if (!value) return;
      filter.values.push_back(std::move(*value));
    }
    filters_.push_back(std::move(filter));
  }

  std::optional<Value> Operand(const std::string& column, const Field* field,
                               const nlohmann::json& json) {
    if (json.is_null()) return Value::Null(field != nullptr ? field->type : DataType::String());
    std::string why;
    std::optional<Value> value = JsonScalarToValue(json, &why);
    if (value && field != nullptr) value = CoerceValue(*value, field->type, &why);
    if (!value) Problem(fmt::format("column '{}': {}", column, why));
    return value;
  }

  std::string connector_;
  const Schema* schema_;
  std::vector<ParameterProblem> problems_;
  std::vector<Filter> filters_;
};

}  // namespace

std::vector<Filter> ParseFilters(const std::string& connector, const nlohmann::json& filters,
                                 const Schema* schema) {
  FilterParser parser(connector, schema);
  if (filters.is_null()) return {};
  if (!filters.is_object()) {
    parser.Problem(
        fmt::format("must be a JSON object of column conditions, got {}", filters.type_name()),
        R"(e.g. {"status": "paid", "amount": {">=": 10}})");
  } else {
    for (const auto& [column, condition] : filters.items()) parser.Column(column, condition);
  }
  return parser.Finish();
}

// ---- ApplyFilters ------------------------------------------------------------------------

namespace {

using Selection = std::vector<uint8_t>;

bool Holds(FilterOp op, std::weak_ordering order) {
  switch (op) {
    case FilterOp::kEq:
    case FilterOp::kIn:
      return order == std::weak_ordering::equivalent;
    case FilterOp::kNe:
      return order != std::weak_ordering::equivalent;
    case FilterOp::kLt:
      return order == std::weak_ordering::less;
    case FilterOp::kLe:
      return order != std::weak_ordering::greater;
    case FilterOp::kGt:
      return order == std::weak_ordering::greater;
    case FilterOp::kGe:
      return order != std::weak_ordering::less;
  }
  return false;
}

// Keep sel[i] only where row i is non-null and pred(get(i)) holds.
template <typename Get, typename Pred>
void Refine(const Column& c, Selection& sel, Get get, Pred pred) {
  for (int64_t i = 0; i < c.length; ++i) {
    if (sel[static_cast<size_t>(i)] == 0) continue;
    sel[static_cast<size_t>(i)] = !c.IsNull(i) && pred(get(i));
  }
}

template <typename T, typename Get>
void SelectTyped(const Column& c, FilterOp op, std::vector<T> rhs, Get get, Selection& sel) {
  const T r = rhs.front();
  switch (op) {
    case FilterOp::kEq:
      return Refine(c, sel, get, [&](const T& v) { return v == r; });
    case FilterOp::kNe:
      return Refine(c, sel, get, [&](const T& v) { return v != r; });
    case FilterOp::kLt:
      return Refine(c, sel, get, [&](const T& v) { return v < r; });
    case FilterOp::kLe:
      return Refine(c, sel, get, [&](const T& v) { return v <= r; });
    case FilterOp::kGt:
      return Refine(c, sel, get, [&](const T& v) { return v > r; });
    case FilterOp::kGe:
      return Refine(c, sel, get, [&](const T& v) { return v >= r; });
    case FilterOp::kIn:
      if (rhs.size() <= 8) {
        return Refine(c, sel, get, [&](const T& v) {
          return std::find(rhs.begin(), rhs.end(), v) != rhs.end();
        });
      }
      std::sort(rhs.begin(), rhs.end());
      return Refine(c, sel, get,
                    [&](const T& v) { return std::binary_search(rhs.begin(), rhs.end(), v); });
  }
}

bool IsTemporalInt(TypeId id) {
  return id == TypeId::kDate || id == TypeId::kTime || id == TypeId::kTimestamp;
}

bool AsInt64(const Value& v, int64_t* out) {
  if (v.type().is_signed_integer() || IsTemporalInt(v.type().id())) {
    *out = v.int_value();
    return true;
  }
  if (v.type().is_unsigned_integer() &&
      v.uint_value() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    *out = static_cast<int64_t>(v.uint_value());
    return true;
  }
  return false;
}

bool AsUInt64(const Value& v, uint64_t* out) {
  if (v.type().is_unsigned_integer()) {
    *out = v.uint_value();
    return true;
  }
  if (v.type().is_signed_integer() && v.int_value() >= 0) {
    *out = static_cast<uint64_t>(v.int_value());
    return true;
  }
  return false;
}

// Convert every operand with `convert`; false if any cannot be (the generic path then runs).
template <typename T, typename Convert>
bool ConvertAll(const std::vector<Value>& operands, Convert convert, std::vector<T>* out) {
  for (const Value& v : operands) {
    T t{};
    if (!convert(v, &t)) return false;
    out->push_back(t);
  }
  return true;
}

// The fast path: operands converted to the column's physical type, buffers read directly.
bool SelectFast(const Column& c, FilterOp op, const std::vector<Value>& operands, Selection& sel) {
  const TypeId id = c.type.id();
  if (c.type.is_signed_integer() || IsTemporalInt(id)) {
    std::vector<int64_t> rhs;
    if (!ConvertAll(operands, AsInt64, &rhs)) return false;
    switch (id) {
      case TypeId::kInt8:
        SelectTyped(
            c, op, std::move(rhs), [&](int64_t i) -> int64_t { return c.ValueAt<int8_t>(i); }, sel);
        break;
      case TypeId::kInt16:
        SelectTyped(
            c, op, std::move(rhs), [&](int64_t i) -> int64_t { return c.ValueAt<int16_t>(i); },
            sel);
        break;
      case TypeId::kInt32:
      case TypeId::kDate:
        SelectTyped(
            c, op, std::move(rhs), [&](int64_t i) -> int64_t { return c.ValueAt<int32_t>(i); },
            sel);
        break;
      default:
        SelectTyped(
            c, op, std::move(rhs), [&](int64_t i) { return c.ValueAt<int64_t>(i); }, sel);
        break;
    }
    return true;
  }
  if (c.type.is_unsigned_integer()) {
    std::vector<uint64_t> rhs;
    if (!ConvertAll(operands, AsUInt64, &rhs)) return false;
    switch (id) {
      case TypeId::kUInt8:
        SelectTyped(
            c, op, std::move(rhs), [&](int64_t i) -> uint64_t { return c.ValueAt<uint8_t>(i); },
            sel);
        break;
      case TypeId::kUInt16:
        SelectTyped(
            c, op, std::move(rhs), [&](int64_t i) -> uint64_t { return c.ValueAt<uint16_t>(i); },
            sel);
        break;
      case TypeId::kUInt32:
        SelectTyped(
            c, op, std::move(rhs), [&](int64_t i) -> uint64_t { return c.ValueAt<uint32_t>(i); },
            sel);
        break;
      default:
        SelectTyped(
            c, op, std::move(rhs), [&](int64_t i) { return c.ValueAt<uint64_t>(i); }, sel);
        break;
    }
    return true;
  }
  if (c.type.is_floating()) {
    std::vector<double> rhs;
    auto as_double = [](const Value& v, double* out) {
      if (!v.type().is_floating()) return false;
      *out = v.double_value();
      return true;
    };
    if (!ConvertAll(operands, as_double, &rhs)) return false;
    if (op == FilterOp::kIn) {  // NaN equals nothing, and would break the sort
      std::erase_if(rhs, [](double d) { return std::isnan(d); });
      if (rhs.empty()) return false;
    }
    if (id == TypeId::kFloat32) {
      SelectTyped(
          c, op, std::move(rhs), [&](int64_t i) -> double { return c.ValueAt<float>(i); }, sel);
    } else {
      SelectTyped(
          c, op, std::move(rhs), [&](int64_t i) { return c.ValueAt<double>(i); }, sel);
    }
    return true;
  }
  if (id == TypeId::kDecimal) {
    std::vector<Int128> rhs;
    auto at_scale = [&](const Value& v, Int128* out) {
      if (v.type().id() != TypeId::kDecimal) return false;
      return filter_internal::RescaleDecimal(v.decimal_value(), v.type().scale(), c.type.scale(),
                                             out);
    };
    if (!ConvertAll(operands, at_scale, &rhs)) return false;
    SelectTyped(
        c, op, std::move(rhs), [&](int64_t i) { return c.DecimalAt(i); }, sel);
    return true;
  }
  if (id == TypeId::kBoolean) {
    std::vector<uint8_t> rhs;
    auto as_bool = [](const Value& v, uint8_t* out) {
      if (v.type().id() != TypeId::kBoolean) return false;
      *out = v.bool_value() ? 1 : 0;
      return true;
    };
    if (!ConvertAll(operands, as_bool, &rhs)) return false;
    SelectTyped(
        c, op, std::move(rhs), [&](int64_t i) -> uint8_t { return c.BoolAt(i) ? 1 : 0; }, sel);
    return true;
  }
  std::vector<std::string_view> rhs;
  auto as_bytes = [&](const Value& v, std::string_view* out) {
    if (v.type().id() != id) return false;
    *out = v.string_value();
    return true;
  };
  if (!ConvertAll(operands, as_bytes, &rhs)) return false;
  SelectTyped(
      c, op, std::move(rhs), [&](int64_t i) { return c.StringAt(i); }, sel);
  return true;
}

bool AsLongDouble(const Value& v, long double* out) {
  const DataType& t = v.type();
  if (t.is_signed_integer()) {
    *out = static_cast<long double>(v.int_value());
  } else if (t.is_unsigned_integer()) {
    *out = static_cast<long double>(v.uint_value());
  } else if (t.is_floating()) {
    *out = v.double_value();
  } else if (t.id() == TypeId::kDecimal) {
    *out = static_cast<long double>(v.decimal_value()) /
           static_cast<long double>(filter_internal::Pow10(t.scale()));
  } else {
    return false;
  }
  return true;
}

// Value::Compare, widened to mixed numeric families (an integer column against 2.5).
std::optional<std::weak_ordering> CompareMixed(const Value& a, const Value& b) {
  if (std::optional<std::weak_ordering> order = a.Compare(b)) return order;
  long double x = 0;
  long double y = 0;
  if (!AsLongDouble(a, &x) || !AsLongDouble(b, &y)) return std::nullopt;
  if (x < y) return std::weak_ordering::less;
  if (x > y) return std::weak_ordering::greater;
  return std::weak_ordering::equivalent;
}

// The slow path for operands that do not convert exactly to the column's physical type.
void SelectGeneric(const Column& c, const std::string& name, FilterOp op,
                   const std::vector<Value>& operands, Selection& sel) {
  for (int64_t i = 0; i < c.length; ++i) {
    size_t k = static_cast<size_t>(i);
    if (sel[k] == 0) continue;
    if (c.IsNull(i)) {
      sel[k] = 0;
      continue;
    }
    const Value cell = c.GetValue(i);
    bool match = false;
    for (const Value& operand : operands) {
      const std::optional<std::weak_ordering> order = CompareMixed(cell, operand);
      if (!order) {
        throw SchemaError("sqlflow", "filter",
                          fmt::format("column '{}' ({}) cannot be compared with {} ({})", name,
                                      c.type.ToSql(), operand.ToString(), operand.type().ToSql()));
      }
      match = Holds(op, *order);
      if (match || op != FilterOp::kIn) break;
    }
    sel[k] = match;
  }
}

void Select(const Column& c, const std::string& name, const Filter& filter, Selection& sel) {
  if (filter.op != FilterOp::kIn && filter.values.size() != 1) {
    throw ParameterError("sqlflow", kFiltersParam,
                         fmt::format("column '{}': operator '{}' needs exactly one value, got {}",
                                     name, FilterOpSql(filter.op), filter.values.size()));
  }
  std::vector<Value> operands;
  for (const Value& v : filter.values) {
    if (v.is_null()) continue;  // NULL never matches
    std::string why;
    std::optional<Value> coerced = CoerceValue(v, c.type, &why);
    if (!coerced) {
      throw SchemaError("sqlflow", "filter", fmt::format("column '{}': {}", name, why));
    }
    operands.push_back(std::move(*coerced));
  }
  if (operands.empty()) {
    std::fill(sel.begin(), sel.end(), 0);
    return;
  }
  if (!SelectFast(c, filter.op, operands, sel)) SelectGeneric(c, name, filter.op, operands, sel);
}

}  // namespace

DataChunk ApplyFilters(const DataChunk& chunk, const std::vector<Filter>& filters) {
  if (filters.empty()) return chunk;
  const Schema& schema = chunk.schema();
  Selection sel(static_cast<size_t>(chunk.num_rows()), 1);
  for (const Filter& filter : filters) {
    const int index = schema.FieldIndex(filter.column);
    if (index < 0) {
      throw SchemaError("sqlflow", "filter",
                        fmt::format("filter column '{}' is not in the data (columns: {})",
                                    filter.column, Join(schema.names(), ", ")));
    }
    Select(chunk.column(static_cast<size_t>(index)), schema.field(static_cast<size_t>(index)).name,
           filter, sel);
  }
  std::vector<int64_t> rows;
  rows.reserve(sel.size());
  for (size_t i = 0; i < sel.size(); ++i) {
    if (sel[i] != 0) rows.push_back(static_cast<int64_t>(i));
  }
  if (rows.size() == sel.size()) return chunk;
  return TakeRows(chunk, rows);
}

}  // namespace sqlflow
