// Internal to src/pdf: stream filters. Only FlateDecode (with the PNG and TIFF predictors) is
// decoded; it is what cross-reference and object streams use in practice.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "pdf/object.hpp"

namespace tinhso::pdf::internal {

// zlib-inflates `data`. Fails with pdf.limit_exceeded as soon as the output would pass `limit`
// bytes (a decompression bomb stops there, having used at most `limit` bytes of memory), and
// with pdf.bad_stream on corrupt or truncated data.
Result<std::string> Inflate(std::string_view data, std::size_t limit);

// zlib-deflates `data` (level 6).
std::string Deflate(std::string_view data);

// Undoes a /Predictor of /DecodeParms `params` (a dictionary, or nullptr for none).
Result<std::string> Unpredict(std::string data, const Dict* params);

}  // namespace tinhso::pdf::internal
