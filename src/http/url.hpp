// Building URLs and form bodies for outgoing requests and redirects.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinhso::http {

// RFC 3986 percent-encoding of one query or form value: every byte but the unreserved
// characters (letters, digits, '-', '.', '_', '~') becomes %XX.
std::string PercentEncode(std::string_view value);

// "a=1&b=x%20y": an application/x-www-form-urlencoded body, or a URL's query.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

// `url` with `fields` appended to its query ('?' or '&' as it needs).
std::string WithQuery(std::string url,
                      const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace tinhso::http
