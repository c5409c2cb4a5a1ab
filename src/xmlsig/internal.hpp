// Inside src/xmlsig: the one-time library set-up, the safe parser and small libxml2 helpers.
#pragma once

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tinhso::xmlsig::internal {

inline constexpr std::string_view kDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using Doc = std::unique_ptr<xmlDoc, Deleter<xmlFreeDoc>>;

// libxml2, xmlsec and its OpenSSL backend, initialised once per process (thread-safe). Also
// routes xmlsec's error reports to the calling thread's ErrorCapture instead of stderr.
void EnsureInitialised();

// While alive, the current thread's libxml2 and xmlsec error reports are collected here (the
// first one is the root cause; the rest are its callers) and nothing is printed.
class ErrorCapture {
 public:
  ErrorCapture();
  ~ErrorCapture();
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;

  // The first message since construction or the last Clear(), "" if none.
  const std::string& First() const { return first_; }
  void Clear() { first_.clear(); }
  void Report(std::string_view message);

 private:
  std::string first_;
  ErrorCapture* previous_;
  xmlGenericErrorFunc saved_generic_;
  void* saved_generic_context_;
  xmlStructuredErrorFunc saved_structured_;
  void* saved_structured_context_;
};

struct ParseTarget {
  std::string_view name;  // empty: the root element
  std::string_view ns;
};

struct Parsed {
  Doc doc;
  bool converted = false;  // the input was not UTF-8 (libxml2 converted it)
  // With a target: the element and the byte offset just past its end tag ("</x>" or "/>").
  xmlNode* target = nullptr;
  std::size_t target_end = 0;
};

// Parses with every external access off: XML_PARSE_NONET, no entity substitution, no DTD
// loading, no XInclude; any DOCTYPE is refused as soon as it starts; elements deeper than
// kMaxDepth are refused while parsing. Errors: see xmlsig::Verify.
Result<Parsed> Parse(std::string_view xml, const ParseTarget* target = nullptr);

// Helpers over libxml2's unsigned-char strings.
inline const char* Text(const xmlChar* s) { return reinterpret_cast<const char*>(s); }
inline const xmlChar* Xml(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
bool IsElement(const xmlNode* node, std::string_view name, std::string_view ns);
// The attribute's value; "" when absent (see HasAttribute).
std::string Attribute(const xmlNode* node, const char* name);
bool HasAttribute(const xmlNode* node, const char* name);
std::string Content(const xmlNode* node);
// The next element sibling from `node` on (node itself if it is an element).
xmlNode* NextElement(xmlNode* node);

}  // namespace tinhso::xmlsig::internal
