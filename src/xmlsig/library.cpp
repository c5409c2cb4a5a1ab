// The one-time set-up of libxml2 and xmlsec (OpenSSL backend), and error capture per thread.
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "xmlsig/internal.hpp"

namespace tinhso::xmlsig::internal {
namespace {

thread_local ErrorCapture* current_capture = nullptr;

void OnXmlsecError(const char* /*file*/, int /*line*/, const char* func, const char* object,
                   const char* subject, int reason, const char* msg) {
  if (current_capture == nullptr) return;
  std::string text;
  // xmlsec's own words for the reason code ("invalid node", "transform disabled", …).
  for (xmlSecSize i = 0; xmlSecErrorsGetMsg(i) != nullptr; ++i) {
    if (xmlSecErrorsGetCode(i) == reason) {
      text = xmlSecErrorsGetMsg(i);
      break;
    }
  }
  if (func != nullptr) text = std::string(func) + ": " + text;
  if (object != nullptr) text += std::string(" (") + object + ")";
  if (subject != nullptr) text += std::string(" [") + subject + "]";
  if (msg != nullptr && *msg != '\0') text += std::string(": ") + msg;
  current_capture->Report(text);
}

void OnStructured(void* capture, xmlErrorPtr error) {
  if (capture == nullptr || error == nullptr || error->message == nullptr) return;
  std::string text = error->message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (error->line > 0) text = "line " + std::to_string(error->line) + ": " + text;
  static_cast<ErrorCapture*>(capture)->Report(text);
}

void OnGeneric(void* capture, const char* format, ...) {
  if (capture == nullptr || format == nullptr) return;
  char buf[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  static_cast<ErrorCapture*>(capture)->Report(buf);
}

void Initialise() {
  xmlInitParser();
  // A mismatch between the headers we compiled against and the library loaded is a packaging
  // bug: fail loudly rather than sign with an unknown ABI.
  if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(nullptr) < 0 ||
      xmlSecCryptoInit() < 0) {
    std::fputs("tinhso: xmlsec initialisation failed\n", stderr);
    std::abort();
  }
  xmlSecErrorsSetCallback(&OnXmlsecError);
}

}  // namespace

void EnsureInitialised() {
  static std::once_flag once;
  std::call_once(once, &Initialise);
}

ErrorCapture::ErrorCapture()
    : previous_(current_capture),
      saved_generic_(xmlGenericError),
      saved_generic_context_(xmlGenericErrorContext),
      saved_structured_(xmlStructuredError),
      saved_structured_context_(xmlStructuredErrorContext) {
  current_capture = this;
  xmlSetGenericErrorFunc(this, &OnGeneric);
  xmlSetStructuredErrorFunc(this, &OnStructured);
}

ErrorCapture::~ErrorCapture() {
  current_capture = previous_;
  xmlSetGenericErrorFunc(saved_generic_context_, saved_generic_);
  xmlSetStructuredErrorFunc(saved_structured_context_, saved_structured_);
}

void ErrorCapture::Report(std::string_view message) {
  if (first_.empty()) first_ = std::string(message.substr(0, 400));
}

bool IsElement(const xmlNode* node, std::string_view name, std::string_view ns) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE || node->name == nullptr) return false;
  if (name != Text(node->name)) return false;
  const std::string_view href =
      node->ns != nullptr && node->ns->href != nullptr ? Text(node->ns->href) : "";
  return href == ns;
}

bool HasAttribute(const xmlNode* node, const char* name) {
  return xmlHasProp(node, Xml(name)) != nullptr;
}

std::string Attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetNoNsProp(node, Xml(name));
  if (value == nullptr) return {};
  std::string out = Text(value);
  xmlFree(value);
  return out;
}

std::string Content(const xmlNode* node) {
  xmlChar* value = xmlNodeGetContent(node);
  if (value == nullptr) return {};
  std::string out = Text(value);
  xmlFree(value);
  return out;
}

xmlNode* NextElement(xmlNode* node) {
  while (node != nullptr && node->type != XML_ELEMENT_NODE) node = node->next;
  return node;
}

}  // namespace tinhso::xmlsig::internal
