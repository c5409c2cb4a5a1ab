// The safe parser: libxml2's SAX2 tree builder with three hooks (DOCTYPE refused, depth
// limited, the target element's end located in the input bytes).
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <strings.h>

#include "xmlsig/internal.hpp"
#include "xmlsig/xmlsig.hpp"

namespace tinhso::xmlsig::internal {
namespace {

enum class Refusal { kNone, kDoctype, kTooDeep };

struct ParseState {
  const ParseTarget* target = nullptr;
  int depth = 0;
  int target_depth = 0;  // the target's depth once it started; 0 before
  bool target_ended = false;
  xmlNode* target_node = nullptr;
  std::size_t target_end = 0;
  Refusal refusal = Refusal::kNone;
};

ParseState& State(void* ctx) {
  return *static_cast<ParseState*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
}

void Refuse(void* ctx, Refusal why) {
  ParseState& state = State(ctx);
  if (state.refusal == Refusal::kNone) state.refusal = why;
  xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
}

// Called as soon as "<!DOCTYPE name …" is read, before any declaration inside it: nothing of
// the DTD (external subset, entities, parameter entities) is ever looked at.
void OnDoctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  Refuse(ctx, Refusal::kDoctype);
}

xmlParserInputPtr OnResolveEntity(void* ctx, const xmlChar*, const xmlChar*) {
  Refuse(ctx, Refusal::kDoctype);
  return nullptr;
}

void OnStart(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri,
             int nb_namespaces, const xmlChar** namespaces, int nb_attributes, int nb_defaulted,
             const xmlChar** attributes) {
  ParseState& state = State(ctx);
  if (++state.depth > kMaxDepth) return Refuse(ctx, Refusal::kTooDeep);
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                        nb_defaulted, attributes);
  if (state.target == nullptr || state.target_depth != 0) return;
  const bool match =
      state.target->name.empty()
          ? state.depth == 1
          : state.target->name == Text(localname) &&
                state.target->ns == (uri != nullptr ? std::string_view(Text(uri)) : "");
  if (match) {
    state.target_depth = state.depth;
    state.target_node = static_cast<xmlParserCtxtPtr>(ctx)->node;
  }
}

void OnEnd(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri) {
  ParseState& state = State(ctx);
  if (state.target_depth != 0 && state.depth == state.target_depth && !state.target_ended) {
    // The parser has just read the end tag's '>' (or the "/>" of an empty element).
    const long consumed = xmlByteConsumed(static_cast<xmlParserCtxtPtr>(ctx));
    state.target_ended = true;
    state.target_end = consumed > 0 ? static_cast<std::size_t>(consumed) : 0;
  }
  xmlSAX2EndElementNs(ctx, localname, prefix, uri);
  --state.depth;
}

using ParserCtxt = std::unique_ptr<xmlParserCtxt, Deleter<xmlFreeParserCtxt>>;

}  // namespace

Result<Parsed> Parse(std::string_view xml, const ParseTarget* target) {
  if (xml.size() > kMaxDocumentBytes) {
    return MakeError(ErrorCode::kPayloadTooLarge, "xmlsig.too_large",
                     "Tài liệu XML quá lớn (tối đa 20 MB).",
                     "The XML document is too large (20 MB at most).");
  }
  if (xml.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "xmlsig.malformed", "Tài liệu XML trống.",
                     "The XML document is empty.");
  }
  EnsureInitialised();
  ErrorCapture capture;
  ParserCtxt ctxt(xmlCreateMemoryParserCtxt(xml.data(), static_cast<int>(xml.size())));
  if (!ctxt) return InternalError("xmlCreateMemoryParserCtxt failed");
  // No XML_PARSE_NOENT (entities stay references), no XML_PARSE_DTDLOAD / DTDATTR / DTDVALID,
  // no XML_PARSE_XINCLUDE, no XML_PARSE_HUGE (libxml2's own limits stay on).
  xmlCtxtUseOptions(ctxt.get(), XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  ParseState state;
  state.target = target;
  ctxt->_private = &state;
  ctxt->sax->internalSubset = &OnDoctype;
  ctxt->sax->externalSubset = &OnDoctype;
  ctxt->sax->resolveEntity = &OnResolveEntity;
  ctxt->sax->startElementNs = &OnStart;
  ctxt->sax->endElementNs = &OnEnd;
  xmlParseDocument(ctxt.get());
  Doc doc(ctxt->myDoc);
  ctxt->myDoc = nullptr;

  if (state.refusal == Refusal::kDoctype) {
    return MakeError(ErrorCode::kInvalidArgument, "xmlsig.dtd_forbidden",
                     "Tài liệu XML có khai báo DOCTYPE (DTD): không được chấp nhận, vì nó có thể "
                     "nạp thực thể từ bên ngoài hoặc mở rộng thực thể không giới hạn.",
                     "The XML document has a DOCTYPE (DTD), which is refused: it could pull in "
                     "external entities or expand entities without bound.");
  }
  if (state.refusal == Refusal::kTooDeep) {
    return MakeError(
        ErrorCode::kInvalidArgument, "xmlsig.too_deep",
        "Tài liệu XML lồng nhau quá sâu (tối đa " + std::to_string(kMaxDepth) + " cấp).",
        "The XML document is nested too deeply (" + std::to_string(kMaxDepth) +
            " levels at most).");
  }
  if (!doc || ctxt->wellFormed == 0 || xmlDocGetRootElement(doc.get()) == nullptr) {
    const xmlError* last = xmlCtxtGetLastError(ctxt.get());
    std::string why = last != nullptr && last->message != nullptr ? last->message : "";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    if (why.empty()) why = capture.First();
    const int line = last != nullptr ? last->line : 0;
    const std::string where = line > 0 ? " (line " + std::to_string(line) + ")" : "";
    const std::string where_vi = line > 0 ? " (dòng " + std::to_string(line) + ")" : "";
    return MakeError(ErrorCode::kInvalidArgument, "xmlsig.malformed",
                     "Tài liệu không phải XML hợp lệ" + where_vi +
                         ": bị cắt cụt, sai cú pháp hoặc sai mã hóa "
                         "ký tự.",
                     "The document is not well-formed XML" + where + ": " +
                         (why.empty() ? "unreadable" : why) + ".",
                     why);
  }
  Parsed out;
  const xmlParserInputPtr input = ctxt->input;
  out.converted = (input != nullptr && input->buf != nullptr && input->buf->encoder != nullptr) ||
                  (doc->encoding != nullptr && strcasecmp(Text(doc->encoding), "UTF-8") != 0 &&
                   strcasecmp(Text(doc->encoding), "UTF8") != 0);
  out.doc = std::move(doc);
  if (state.target_ended) {
    out.target = state.target_node;
    out.target_end = state.target_end;
  }
  return out;
}

}  // namespace tinhso::xmlsig::internal
