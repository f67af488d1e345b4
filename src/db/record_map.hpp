// A typed mapping between a struct and the columns of a table, so repositories read
// rows by column name into fields instead of by position (`row.text(3)`):
//
//   const auto& map = db::RecordMap<FileRecord>()
//                         .text("id", &FileRecord::id)
//                         .count("size", &FileRecord::size);
//   db.execute("SELECT " + map.columns() + " FROM files WHERE id = $1", {id});
//   FileRecord f = map.read(result, result.rows[0]);
//   db.execute("INSERT INTO files (" + map.columns() + ") VALUES (" + map.placeholders() + ")", map.values(f));
//
// read() finds each column in the result by name, whatever the SELECT's order, and
// throws Error(internal, "database-type") naming the column when one is missing or
// holds the wrong type. Numbers keep their exact value (int64, double).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "db/database.hpp"

namespace mecapy::db {

// `text` with LIKE's wildcards (% and _) and the escape character itself escaped by a
// backslash, for `LIKE ... ESCAPE '\\'` on both drivers.
inline std::string escape_like(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

template <class T>
class RecordMap {
 public:
  RecordMap& text(std::string column, std::string T::*member) {
    return add(
        std::move(column), [member](const T& t) -> Value { return t.*member; },
        [member](T& t, const Row& r, std::size_t i) { t.*member = r.text(i); });
  }
  RecordMap& int64(std::string column, std::int64_t T::*member) {
    return add(
        std::move(column), [member](const T& t) -> Value { return t.*member; },
        [member](T& t, const Row& r, std::size_t i) { t.*member = r.int64(i); });
  }
  // A non-negative count (sizes in bytes): stored as BIGINT, refused when negative.
  RecordMap& count(std::string column, std::uint64_t T::*member) {
    auto set = [member, name = column](T& t, const Row& r, std::size_t i) {
      const std::int64_t v = r.int64(i);
      if (v < 0) throw Error(ErrorKind::internal, "database-type", "column " + name + " holds a negative count");
      t.*member = static_cast<std::uint64_t>(v);
    };
    return add(
        std::move(column), [member](const T& t) -> Value { return static_cast<std::int64_t>(t.*member); },
        std::move(set));
  }
  RecordMap& number(std::string column, double T::*member) {
    return add(
        std::move(column), [member](const T& t) -> Value { return t.*member; },
        [member](T& t, const Row& r, std::size_t i) { t.*member = r.number(i); });
  }

  // "a, b, c" (optionally each prefixed with `table.`).
  std::string columns(const std::string& table = {}) const {
    std::string out;
    for (const auto& f : fields_) {
      if (!out.empty()) out += ", ";
      if (!table.empty()) out += table + ".";
      out += f.column;
    }
    return out;
  }
  // "$first, $first+1, ..." — one placeholder per column.
  std::string placeholders(int first = 1) const {
    std::string out;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (!out.empty()) out += ", ";
      out += "$" + std::to_string(first + static_cast<int>(i));
    }
    return out;
  }
  // The parameters for placeholders(), in column order.
  std::vector<Value> values(const T& record) const {
    std::vector<Value> out;
    out.reserve(fields_.size());
    for (const auto& f : fields_) out.push_back(f.get(record));
    return out;
  }

  T read(const Result& result, const Row& row) const {
    T record{};
    for (const auto& f : fields_) {
      const std::size_t i = index_of(result, f.column);
      if (row.is_null(i)) throw Error(ErrorKind::internal, "database-type", "column " + f.column + " is null");
      f.set(record, row, i);
    }
    return record;
  }
  std::vector<T> read_all(const Result& result) const {
    std::vector<T> out;
    out.reserve(result.rows.size());
    for (const auto& row : result.rows) out.push_back(read(result, row));
    return out;
  }

 private:
  struct Field {
    std::string column;
    std::function<Value(const T&)> get;
    std::function<void(T&, const Row&, std::size_t)> set;
  };

  RecordMap& add(std::string column, std::function<Value(const T&)> get,
                 std::function<void(T&, const Row&, std::size_t)> set) {
    fields_.push_back({std::move(column), std::move(get), std::move(set)});
    return *this;
  }

  static std::size_t index_of(const Result& result, const std::string& column) {
    for (std::size_t i = 0; i < result.columns.size(); ++i)
      if (result.columns[i] == column) return i;
    throw Error(ErrorKind::internal, "database-type", "the result has no column " + column);
  }

  std::vector<Field> fields_;
};

}  // namespace mecapy::db
