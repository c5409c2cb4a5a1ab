// Internal to src/pdf: the module's errors, one function per stable reason code (listed in
// pdf.hpp). `detail` says what exactly was wrong; it goes to the log only.
#pragma once

#include <string>

#include "core/error.hpp"

namespace tinhso::pdf::internal {

Error NotPdf(std::string detail);
Error Truncated(std::string detail);
Error XrefInvalid(std::string detail);
Error Malformed(std::string detail);
Error BadStream(std::string detail);
Error LimitExceeded(std::string detail);
Error Unsupported(std::string detail);
Error Encrypted();
Error BadTextString(std::string detail);
Error InvalidRequest(std::string message_vi, std::string message_en);
Error RenderFailed(std::string detail);
// Signing would break the document's certification (DocMDP `permission`, 1 or 2).
Error CertifiedDocument(int permission);

}  // namespace tinhso::pdf::internal
