// QR codes through libqrencode, the library behind the `qrencode` command.
#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "forms/forms.hpp"

namespace tinhso::forms {

Result<QrCode> EncodeQr(std::string_view text) {
  if (text.empty() || text.find('\0') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "forms.invalid_input",
                     "Không tạo được mã QR từ nội dung rỗng hoặc có ký tự NUL",
                     "cannot make a QR code of empty text or text with a NUL byte");
  }
  const std::string terminated(text);  // libqrencode reads a C string
  // Version 0 = the smallest that fits; level M (15% recovery) survives a crease or a stamp
  // over a printed form; case kept, since lookup secrets are case-sensitive. Apart from the
  // level these are the `qrencode` command's defaults, so `qrencode -l M` draws the same symbol.
  errno = 0;
  QRcode* symbol = QRcode_encodeString(terminated.c_str(), /*version=*/0, QR_ECLEVEL_M, QR_MODE_8,
                                       /*casesensitive=*/1);
  if (symbol == nullptr) {
    const int reason = errno;
    if (reason == ERANGE) {
      return MakeError(ErrorCode::kInvalidArgument, "forms.invalid_input",
                       "Địa chỉ tra cứu quá dài để in thành mã QR",
                       "the text is too long for a QR code",
                       std::to_string(text.size()) + " bytes");
    }
    return MakeError(ErrorCode::kInternal, "forms.render_failed", "Không tạo được mã QR",
                     "could not make the QR code",
                     std::string("qrencode: ") + std::strerror(reason));
  }
  QrCode code;
  code.size = symbol->width;
  const std::size_t count = static_cast<std::size_t>(symbol->width) * symbol->width;
  code.modules.resize(count);
  // Bit 0 of each byte is the module's colour; the other bits say which part of the symbol
  // it belongs to.
  for (std::size_t i = 0; i < count; ++i) {
    code.modules[i] = symbol->data[i] & 1;
  }
  QRcode_free(symbol);
  return code;
}

}  // namespace tinhso::forms
