#include "pdf/filters.hpp"

#include <zlib.h>

#include <cstdlib>
#include <vector>

#include "pdf/errors.hpp"

namespace tinhso::pdf::internal {
namespace {

std::int64_t IntParam(const Dict* params, std::string_view key, std::int64_t fallback) {
  if (params == nullptr) {
    return fallback;
  }
  const Object* value = Find(*params, key);
  if (value == nullptr || value->AsInt() == nullptr) {
    return fallback;
  }
  return *value->AsInt();
}

}  // namespace

Result<std::string> Inflate(std::string_view data, std::size_t limit) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) {
    return InternalError("pdf: inflateInit failed");
  }
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = 0;
  std::size_t fed = 0;
  int status = Z_OK;
  unsigned char chunk[16384];
  while (status != Z_STREAM_END) {
    if (z.avail_in == 0 && fed < data.size()) {
      const std::size_t take = std::min<std::size_t>(data.size() - fed, 1u << 20);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
      z.avail_in = static_cast<uInt>(take);
      fed += take;
    }
    z.next_out = chunk;
    z.avail_out = sizeof chunk;
    status = inflate(&z, Z_NO_FLUSH);
    const std::size_t produced = sizeof chunk - z.avail_out;
    if (status != Z_OK && status != Z_STREAM_END && !(status == Z_BUF_ERROR && produced > 0)) {
      inflateEnd(&z);
      return BadStream(std::string("corrupt FlateDecode data (") + (z.msg ? z.msg : "truncated") +
                       ")");
    }
    if (out.size() + produced > limit) {
      inflateEnd(&z);
      return LimitExceeded("a stream decodes to more than " + std::to_string(limit) + " bytes");
    }
    out.append(reinterpret_cast<const char*>(chunk), produced);
    if (status == Z_BUF_ERROR && z.avail_in == 0 && fed >= data.size()) {
      inflateEnd(&z);
      return BadStream("FlateDecode data ends before the end of the compressed stream");
    }
  }
  inflateEnd(&z);
  return out;
}

std::string Deflate(std::string_view data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size,
            reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()), 6);
  out.resize(size);
  return out;
}

Result<std::string> Unpredict(std::string data, const Dict* params) {
  const std::int64_t predictor = IntParam(params, "Predictor", 1);
  if (predictor == 1) {
    return data;
  }
  const std::int64_t colors = IntParam(params, "Colors", 1);
  const std::int64_t bits = IntParam(params, "BitsPerComponent", 8);
  const std::int64_t columns = IntParam(params, "Columns", 1);
  if (colors < 1 || colors > 32 || columns < 1 || columns > (1 << 24) ||
      (bits != 1 && bits != 2 && bits != 4 && bits != 8 && bits != 16)) {
    return BadStream("invalid /DecodeParms for the predictor");
  }
  const auto row_bytes = static_cast<std::size_t>((colors * bits * columns + 7) / 8);
  const auto pixel_bytes = static_cast<std::size_t>(std::max<std::int64_t>(1, colors * bits / 8));
  if (predictor == 2) {
    if (bits != 8) {
      return Unsupported("TIFF predictor with " + std::to_string(bits) + " bits per component");
    }
    if (data.size() % row_bytes != 0) {
      return BadStream("TIFF-predicted data is not a whole number of rows");
    }
    for (std::size_t row = 0; row < data.size(); row += row_bytes) {
      for (std::size_t i = pixel_bytes; i < row_bytes; ++i) {
        data[row + i] = static_cast<char>(data[row + i] + data[row + i - pixel_bytes]);
      }
    }
    return data;
  }
  if (predictor < 10 || predictor > 15) {
    return Unsupported("predictor " + std::to_string(predictor));
  }
  // PNG predictors: every row starts with its own filter type byte (RFC 2083 §6).
  const std::size_t stride = row_bytes + 1;
  if (data.size() % stride != 0) {
    return BadStream("PNG-predicted data is not a whole number of rows");
  }
  std::string out;
  out.reserve(data.size() / stride * row_bytes);
  std::vector<unsigned char> previous(row_bytes, 0);
  std::vector<unsigned char> current(row_bytes, 0);
  for (std::size_t row = 0; row < data.size(); row += stride) {
    const auto type = static_cast<unsigned char>(data[row]);
    for (std::size_t i = 0; i < row_bytes; ++i) {
      const auto x = static_cast<unsigned char>(data[row + 1 + i]);
      const int a = i >= pixel_bytes ? current[i - pixel_bytes] : 0;
      const int b = previous[i];
      const int c = i >= pixel_bytes ? previous[i - pixel_bytes] : 0;
      int value = 0;
      switch (type) {
        case 0:
          value = x;
          break;
        case 1:
          value = x + a;
          break;
        case 2:
          value = x + b;
          break;
        case 3:
          value = x + (a + b) / 2;
          break;
        case 4: {
          const int p = a + b - c;
          const int pa = std::abs(p - a);
          const int pb = std::abs(p - b);
          const int pc = std::abs(p - c);
          const int predicted = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
          value = x + predicted;
          break;
        }
        default:
          return BadStream("unknown PNG filter type " + std::to_string(type));
      }
      current[i] = static_cast<unsigned char>(value & 0xff);
    }
    out.append(reinterpret_cast<const char*>(current.data()), row_bytes);
    std::swap(previous, current);
  }
  return out;
}

}  // namespace tinhso::pdf::internal
