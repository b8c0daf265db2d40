#include "sqlflow/connectors/postgres/pg_read_plan.h"

#include <map>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/postgres/pg_types.h"

namespace sqlflow::pg {

namespace {

// typcategory of the types COPY binary has no decoder for: 'A' (arrays) become JSON, the rest
// text.
std::map<uint32_t, std::string> Categories(Connection& conn, const std::vector<uint32_t>& oids,
                                           const std::string& operation) {
  std::map<uint32_t, std::string> out;
  if (oids.empty()) return out;
  std::string list;
  for (uint32_t oid : oids) list += (list.empty() ? "" : ",") + std::to_string(oid);
  Result r = conn.Query("SELECT oid, typcategory FROM pg_type WHERE oid = ANY($1::oid[])",
                        {"{" + list + "}"}, operation);
  for (int i = 0; i < r.rows(); ++i) out[std::stoul(r.Get(i, 0))] = r.Get(i, 1);
  return out;
}

std::string HexBytes(const std::string& bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "\\x";
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace

std::string ReadPlan::CopySql(const std::string& resume) const {
  std::string sql = "COPY (SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += columns[i].select;
  }
  sql += " FROM " + from;
  std::vector<std::string> where = conditions;
  if (!resume.empty()) where.push_back(resume);
  for (size_t i = 0; i < where.size(); ++i)
    sql += (i == 0 ? " WHERE (" : " AND (") + where[i] + ")";
  for (size_t i = 0; i < order.size(); ++i) {
    sql += (i == 0 ? " ORDER BY " : ", ") + columns[order[i]].select;
  }
  return sql + ") TO STDOUT (FORMAT binary)";
}

std::shared_ptr<const Schema> ReadPlan::DecodeSchema() const {
  std::vector<Field> fields;
  for (const PlannedColumn& c : columns) fields.push_back({c.name, c.type, true});
  return std::make_shared<Schema>(std::move(fields));
}

std::vector<uint32_t> ReadPlan::Oids() const {
  std::vector<uint32_t> oids;
  for (const PlannedColumn& c : columns) oids.push_back(c.oid);
  return oids;
}

std::vector<std::string> ReadPlan::OutputNames() const {
  std::vector<std::string> names;
  for (size_t i = 0; i < output_columns; ++i) names.push_back(columns[i].name);
  return names;
}

std::vector<PlannedColumn> PlanColumns(Connection& conn, const std::string& select,
                                       const std::string& operation) {
  std::vector<ResultColumn> described = conn.Describe(select, operation);
  std::vector<uint32_t> unknown;
  for (const ResultColumn& c : described) {
    if (!DecodedType(c.oid, c.typmod).has_value()) unknown.push_back(c.oid);
  }
  std::map<uint32_t, std::string> categories = Categories(conn, unknown, operation);
  std::vector<PlannedColumn> columns;
  for (const ResultColumn& c : described) {
    PlannedColumn p;
    std::string quoted = QuoteIdentifier(c.name);
    if (std::optional<DataType> type = DecodedType(c.oid, c.typmod)) {
      p = {c.name, quoted, c.oid, *type};
    } else if (categories[c.oid] == "A") {
      p = {c.name, "to_json(" + quoted + ")", kJsonOid, DataType::Json()};
    } else {
      p = {c.name, quoted + "::text", kTextOid, DataType::String()};
    }
    columns.push_back(std::move(p));
  }
  return columns;
}

bool IsPlainTable(Connection& conn, const std::string& table_sql, const std::string& operation) {
  Result r = conn.Query("SELECT relkind FROM pg_class WHERE oid = to_regclass($1)", {table_sql},
                        operation);
  return r.rows() == 1 && (r.Get(0, 0) == "r" || r.Get(0, 0) == "m");
}

std::vector<std::string> PrimaryKey(Connection& conn, const std::string& table_sql,
                                    const std::string& operation) {
  Result r = conn.Query(
      "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
      "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass($1) AND i.indisprimary "
      "ORDER BY array_position(i.indkey::int2[], a.attnum)",
      {table_sql}, operation);
  std::vector<std::string> key;
  for (int i = 0; i < r.rows(); ++i) key.push_back(r.Get(i, 0));
  return key;
}

std::string Literal(const Value& value) {
  if (value.is_null()) return "NULL";
  if (value.type().id() == TypeId::kBinary) return QuoteLiteral(HexBytes(value.string_value()));
  return QuoteLiteral(value.ToString());
}

std::string FilterCondition(const PlannedColumn& column, const Filter& filter) {
  if (filter.op == FilterOp::kIn) {
    if (filter.values.empty()) return "false";
    std::string list;
    for (const Value& v : filter.values) list += (list.empty() ? "" : ", ") + Literal(v);
    return column.select + " IN (" + list + ")";
  }
  return column.select + " " + FilterOpSql(filter.op) + " " + Literal(filter.values.at(0));
}

PlannedColumn CtidColumn() { return {"ctid", "ctid", kTidOid, DataType::Int64()}; }

void ResumeState::Delivered(const DataChunk& chunk) {
  int64_t n = chunk.num_rows();
  if (n == 0) return;
  delivered_ += n;
  if (plan_->resume_by_ctid) {
    last_tid_ = chunk.column(chunk.num_columns() - 1).ValueAt<int64_t>(n - 1);
    return;
  }
  if (plan_->order.empty()) return;
  std::vector<Value> key;
  for (size_t index : plan_->order) key.push_back(chunk.column(index).GetValue(n - 1));
  if (plan_->order_is_unique) {  // No ties to count: a key is never repeated.
    last_key_ = std::move(key);
    return;
  }
  int64_t trailing = 0;
  for (int64_t row = n - 1; row >= 0; --row) {
    bool same = true;
    for (size_t k = 0; k < plan_->order.size() && same; ++k) {
      same = chunk.column(plan_->order[k]).GetValue(row) == key[k];
    }
    if (!same) break;
    ++trailing;
  }
  ties_ = (trailing == n && key == last_key_) ? ties_ + n : trailing;
  last_key_ = std::move(key);
}

bool ResumeState::RestartsFromTheStart() const {
  if (plan_->resume_by_ctid) return false;
  if (plan_->order.empty()) return true;
  for (const Value& v : last_key_) {
    if (v.is_null()) return true;
  }
  return false;
}

std::string ResumeState::Condition() const {
  if (delivered_ == 0 || RestartsFromTheStart()) return "";
  if (plan_->resume_by_ctid) return "ctid > " + TidLiteral(last_tid_) + "::tid";
  std::string left, right;
  for (size_t k = 0; k < plan_->order.size(); ++k) {
    left += (k == 0 ? "" : ", ") + plan_->columns[plan_->order[k]].select;
    right += (k == 0 ? "" : ", ") + Literal(last_key_[k]);
  }
  if (plan_->order.size() > 1) {
    left = "ROW(" + left + ")";
    right = "ROW(" + right + ")";
  }
  return left + (plan_->order_is_unique ? " > " : " >= ") + right;
}

int64_t ResumeState::RowsToSkip() const {
  if (delivered_ == 0) return 0;
  if (RestartsFromTheStart()) return delivered_;
  return plan_->order_is_unique || plan_->resume_by_ctid ? 0 : ties_;
}

}  // namespace sqlflow::pg
