#include <string>
#include <string_view>

#include "storage/postgres/postgres.hpp"

namespace tinhso::storage::postgres {

namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

// Index just past the literal or comment that starts at `i`, or `i` if none starts there.
std::size_t SkipQuoted(std::string_view sql, std::size_t i) {
  const std::size_t n = sql.size();
  const char c = sql[i];
  if (c == '\'') {
    // E'…' strings take backslash escapes; standard strings only the doubled quote.
    const bool escapes =
        i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
    for (std::size_t j = i + 1; j < n; ++j) {
      if (escapes && sql[j] == '\\') {
        ++j;
      } else if (sql[j] == '\'') {
        if (j + 1 < n && sql[j + 1] == '\'') {
          ++j;
        } else {
          return j + 1;
        }
      }
    }
    return n;
  }
  if (c == '"') {
    const std::size_t end = sql.find('"', i + 1);
    return end == std::string_view::npos ? n : end + 1;
  }
  if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
    const std::size_t end = sql.find('\n', i);
    return end == std::string_view::npos ? n : end + 1;
  }
  if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
    int depth = 0;  // PostgreSQL block comments nest
    for (std::size_t j = i; j + 1 < n; ++j) {
      if (sql[j] == '/' && sql[j + 1] == '*') {
        ++depth;
        ++j;
      } else if (sql[j] == '*' && sql[j + 1] == '/') {
        ++j;
        if (--depth == 0) {
          return j + 1;
        }
      }
    }
    return n;
  }
  if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1]))) {
    // $tag$…$tag$ or $$…$$; "$1" is a positional parameter, not a tag.
    std::size_t j = i + 1;
    if (j < n && sql[j] != '$' && !IsIdentStart(sql[j])) {
      return i;
    }
    while (j < n && sql[j] != '$' && IsIdentChar(sql[j])) {
      ++j;
    }
    if (j >= n || sql[j] != '$') {
      return i;
    }
    const std::string_view tag = sql.substr(i, j - i + 1);
    const std::size_t end = sql.find(tag, j + 1);
    return end == std::string_view::npos ? n : end + tag.size();
  }
  return i;
}

}  // namespace

RewrittenSql RewriteNamedParams(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 8);
  const std::size_t n = sql.size();
  std::size_t i = 0;
  while (i < n) {
    if (const std::size_t end = SkipQuoted(sql, i); end != i) {
      out.sql.append(sql.substr(i, end - i));
      i = end;
      continue;
    }
    const char c = sql[i];
    if (c == ':' && i + 1 < n && sql[i + 1] == ':') {  // a cast: x::text
      out.sql.append("::");
      i += 2;
      continue;
    }
    if (c == ':' && i + 1 < n && IsIdentStart(sql[i + 1])) {
      std::size_t j = i + 1;
      while (j < n && IsIdentChar(sql[j])) {
        ++j;
      }
      const std::string_view name = sql.substr(i + 1, j - i - 1);
      std::size_t index = 0;
      while (index < out.names.size() && out.names[index] != name) {
        ++index;
      }
      if (index == out.names.size()) {
        out.names.emplace_back(name);
      }
      out.sql.push_back('$');
      out.sql.append(std::to_string(index + 1));
      i = j;
      continue;
    }
    out.sql.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace tinhso::storage::postgres
