// PrepareSignature, EmbedSignature and the placement helpers.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <unordered_set>

#include "core/text.hpp"
#include "pdf/appearance.hpp"
#include "pdf/document.hpp"
#include "pdf/errors.hpp"
#include "pdf/filters.hpp"
#include "pdf/pdf.hpp"
#include "pdf/text.hpp"
#include "pdf/writer.hpp"

namespace tinhso::pdf {
namespace {

using internal::Dict;
using internal::Object;
using internal::Ref;

constexpr std::size_t kMinCapacity = 2048;
constexpr std::size_t kMaxCapacity = std::size_t{1} << 20;
constexpr std::size_t kByteRangeWidth = 34;  // "0 " + three 10-digit numbers and two spaces
constexpr int kWidgetFlags = 4 | 128;        // Print, Locked (§12.5.3)

Error Invalid(std::string vi, std::string en) {
  return internal::InvalidRequest(std::move(vi), std::move(en));
}

// `text` as a PDF string token: literal when ASCII, hex UTF-16BE otherwise.
std::string TextToken(std::string_view utf8) {
  const std::string bytes = internal::EncodeTextString(core::ToNfc(utf8));
  std::string token;
  internal::SerializeString(bytes, bytes.size() >= 2 && bytes[0] == '\xFE', token);
  return token;
}

std::string RectText(const Rect& rect) {
  using internal::FormatNumber;
  return "[" + FormatNumber(rect.x1) + " " + FormatNumber(rect.y1) + " " + FormatNumber(rect.x2) +
         " " + FormatNumber(rect.y2) + "]";
}

// An all-zero rectangle: no box was asked for.
bool NoBox(const Rect& r) { return r.x1 == 0 && r.y1 == 0 && r.x2 == 0 && r.y2 == 0; }

Result<void> CheckRect(const Rect& r) {
  const bool finite =
      std::isfinite(r.x1) && std::isfinite(r.y1) && std::isfinite(r.x2) && std::isfinite(r.y2);
  if (!finite || r.width() < 1 || r.height() < 1 || r.width() > 14400 || r.height() > 14400 ||
      std::abs(r.x1) > 1e6 || std::abs(r.y1) > 1e6) {
    return Invalid("Khung chữ ký không hợp lệ", "the signature rectangle is not valid");
  }
  return Ok();
}

Result<void> CheckRequest(const SignatureRequest& request) {
  for (const std::string* text :
       {&request.field_name, &request.name, &request.reason, &request.location,
        &request.contact_info, &request.appearance.organisation,
        &request.appearance.document_number}) {
    if (!core::IsValidUtf8(*text) || text->size() > 4096) {
      return Invalid("Thông tin chữ ký có ký tự không hợp lệ (không phải UTF-8) hoặc quá dài",
                     "signature text is not valid UTF-8 or is too long");
    }
  }
  if (request.field_name.find('.') != std::string::npos) {
    return Invalid("Tên trường chữ ký không được chứa dấu chấm",
                   "a signature field name cannot contain a period");
  }
  if (request.contents_capacity < kMinCapacity || request.contents_capacity > kMaxCapacity) {
    return Invalid("Dung lượng dành cho chữ ký phải từ 2 KiB đến 1 MiB",
                   "the signature capacity must be between 2 KiB and 1 MiB");
  }
  const Appearance& appearance = request.appearance;
  if (appearance.kind != AppearanceKind::kInvisible) {
    // Without a box, the prepared field's rectangle is checked when the field is found.
    if (!NoBox(appearance.rect)) {
      TINHSO_RETURN_IF_ERROR(CheckRect(appearance.rect));
    }
    if ((appearance.kind == AppearanceKind::kSigner ||
         appearance.kind == AppearanceKind::kOrganisationSeal)) {
      TINHSO_RETURN_IF_ERROR(internal::CheckPng(appearance.image_png));
    }
  }
  return Ok();
}

// The /Matrix that turns an appearance drawn upright (as displayed) into default user space on a
// page rotated `rotate` degrees clockwise, for a BBox of `w` × `h`.
std::string RotationMatrix(int rotate, double w, double h) {
  using internal::FormatNumber;
  switch (rotate) {
    case 90:
      return "[0 1 -1 0 " + FormatNumber(h) + " 0]";
    case 180:
      return "[-1 0 0 -1 " + FormatNumber(w) + " " + FormatNumber(h) + "]";
    case 270:
      return "[0 -1 1 0 0 " + FormatNumber(w) + "]";
    default:
      return "[1 0 0 1 0 0]";
  }
}

PageInfo InfoOf(const internal::PageRecord& page) {
  const internal::Box& m = page.media_box;
  const internal::Box& c = page.crop_box;
  return PageInfo{{m[0], m[1], m[2], m[3]}, {c[0], c[1], c[2], c[3]}, page.rotate};
}

// `displayed` (in DisplayedBox coordinates) in the page's default user space.
Rect DisplayedToUser(const PageInfo& page, const Rect& displayed) {
  const Rect& c = page.crop_box;
  auto to_user = [&](double x, double y) -> std::pair<double, double> {
    const double u = x - c.x1;  // from the displayed bottom-left corner
    const double v = y - c.y1;
    switch (page.rotate) {
      case 90:
        return {c.x2 - v, c.y1 + u};
      case 180:
        return {c.x2 - u, c.y2 - v};
      case 270:
        return {c.x1 + v, c.y2 - u};
      default:
        return {x, y};
    }
  };
  const auto [ax, ay] = to_user(displayed.x1, displayed.y1);
  const auto [bx, by] = to_user(displayed.x2, displayed.y2);
  return Rect{std::min(ax, bx), std::min(ay, by), std::max(ax, bx), std::max(ay, by)};
}

// A box the caller placed must lie on the visible page: a signature off the page would be signed
// but never seen, one across an edge cut in half. Moving it would change what it covers (the
// seal's third of the signature, the text beside it), so it is refused rather than fixed up.
Result<void> CheckOnPage(const PageInfo& page, const Rect& box, int page_index) {
  if (FitsOnPage(page, box)) {
    return Ok();
  }
  const Rect visible = DisplayedBox(page);
  using internal::FormatNumber;
  const std::string page_text = "trang " + std::to_string(page_index + 1);
  const std::string size_vi = FormatNumber(visible.width()) + " × " +
                              FormatNumber(visible.height()) + " điểm, góc dưới trái (" +
                              FormatNumber(visible.x1) + ", " + FormatNumber(visible.y1) + ")";
  const std::string size_en = FormatNumber(visible.width()) + " × " +
                              FormatNumber(visible.height()) + " points, bottom-left corner (" +
                              FormatNumber(visible.x1) + ", " + FormatNumber(visible.y1) + ")";
  const std::string detail = "box " + RectText(box) + ", visible page " + RectText(visible);
  const bool outside =
      box.x2 <= visible.x1 || box.x1 >= visible.x2 || box.y2 <= visible.y1 || box.y1 >= visible.y2;
  if (outside) {
    return MakeError(
        ErrorCode::kInvalidArgument, "pdf.rect_off_page",
        "Khung chữ ký nằm ngoài " + page_text + " (phần nhìn thấy của trang: " + size_vi + ")",
        "the signature box is outside page " + std::to_string(page_index + 1) +
            " (its visible area: " + size_en + ")",
        detail);
  }
  return MakeError(
      ErrorCode::kInvalidArgument, "pdf.rect_off_page",
      "Khung chữ ký vượt ra ngoài mép " + page_text +
          "; hãy đặt khung trọn trong trang (phần nhìn thấy của trang: " + size_vi + ")",
      "the signature box runs over the edge of page " + std::to_string(page_index + 1) +
          "; place it entirely on the page (its visible area: " + size_en + ")",
      detail);
}

// Writes `pixels` as an image with its soft mask inside a Form XObject whose BBox is `w` × `h`
// (as displayed) turned for a page rotated `rotate` degrees; returns the form's reference.
Ref WriteImageForm(internal::UpdateWriter& writer, const internal::AppearancePixels& pixels,
                   double w, double h, int rotate) {
  const Ref form = writer.Allocate();
  const Ref image = writer.Allocate();
  const Ref mask = writer.Allocate();
  const std::string size = "/Width " + std::to_string(pixels.width) + " /Height " +
                           std::to_string(pixels.height) + " /BitsPerComponent 8";
  writer.WriteStream(
      mask,
      "/Type /XObject /Subtype /Image " + size + " /ColorSpace /DeviceGray /Filter /FlateDecode",
      internal::Deflate(pixels.alpha));
  writer.WriteStream(image,
                     "/Type /XObject /Subtype /Image " + size +
                         " /ColorSpace /DeviceRGB /Interpolate true /SMask " +
                         std::to_string(mask.num) + " 0 R /Filter /FlateDecode",
                     internal::Deflate(pixels.rgb));
  using internal::FormatNumber;
  const std::string content =
      "q " + FormatNumber(w) + " 0 0 " + FormatNumber(h) + " 0 0 cm /Img Do Q";
  writer.WriteStream(form,
                     "/Type /XObject /Subtype /Form /BBox [0 0 " + FormatNumber(w) + " " +
                         FormatNumber(h) + "] /Matrix " + RotationMatrix(rotate, w, h) +
                         " /Resources << /XObject << /Img " + std::to_string(image.num) +
                         " 0 R >> >>",
                     content);
  return form;
}

// The size of `user_rect` as seen on a page rotated `rotate` degrees.
std::pair<double, double> DisplayedSize(const Rect& user_rect, int rotate) {
  const bool sideways = rotate == 90 || rotate == 270;
  return {sideways ? user_rect.height() : user_rect.width(),
          sideways ? user_rect.width() : user_rect.height()};
}

// The appearance of the signature for a widget at `user_rect` on a page rotated `rotate`
// degrees; an empty form for an invisible signature in a prepared field (whatever the field
// showed before, "sign here", no longer holds).
Result<Ref> WriteAppearance(internal::UpdateWriter& writer, const SignatureRequest& request,
                            const Rect& user_rect, int rotate) {
  const auto [w, h] = DisplayedSize(user_rect, rotate);
  if (request.appearance.kind == AppearanceKind::kInvisible) {
    const Ref form = writer.Allocate();
    using internal::FormatNumber;
    writer.WriteStream(
        form,
        "/Type /XObject /Subtype /Form /BBox [0 0 " + FormatNumber(w) + " " + FormatNumber(h) + "]",
        "");
    return form;
  }
  TINHSO_ASSIGN_OR_RETURN(const internal::AppearancePixels pixels,
                          internal::RenderAppearance(request.appearance, w, h,
                                                     internal::DisplayTime(request.signing_time)));
  return WriteImageForm(writer, pixels, w, h, rotate);
}

// The array `entry` holds (directly or through a reference), copied; empty when absent.
Result<internal::Array> CopyArray(internal::Document& document, const Object* entry,
                                  const char* what) {
  if (entry == nullptr) {
    return internal::Array{};
  }
  TINHSO_ASSIGN_OR_RETURN(const Object* resolved, document.Resolve(*entry));
  if (resolved->IsNull()) {
    return internal::Array{};
  }
  if (resolved->AsArray() == nullptr) {
    return internal::Malformed(std::string(what) + " is not an array");
  }
  return *resolved->AsArray();
}

// The AcroForm dictionary with `widget` (a new field) added to /Fields, /SigFlags 3 and, when
// `drop_need_appearances`, without /NeedAppearances.
Result<Dict> UpdateForm(internal::Document& document, Dict acroform, std::optional<Ref> widget,
                        bool drop_need_appearances) {
  if (widget) {
    TINHSO_ASSIGN_OR_RETURN(internal::Array fields,
                            CopyArray(document, internal::Find(acroform, "Fields"), "/Fields"));
    fields.push_back(internal::MakeRef(*widget));
    internal::Set(acroform, "Fields", internal::MakeArray(std::move(fields)));
  }
  std::int64_t flags = 0;
  if (const Object* existing = internal::Find(acroform, "SigFlags")) {
    if (existing->AsInt() != nullptr) {
      flags = *existing->AsInt();
    }
  }
  // SignaturesExist | AppendOnly (§12.7.2): viewers must save later changes incrementally.
  internal::Set(acroform, "SigFlags", internal::MakeInt(flags | 3));
  if (drop_need_appearances) {
    internal::Erase(acroform, "NeedAppearances");
  }
  return acroform;
}

// An unsigned signature field the signature goes into, and where its widget is.
struct PreparedField {
  internal::FieldRecord field;
  Ref widget;
  int page_index = -1;
  Rect rect;  // the widget's /Rect, default user space
};

bool IsEmptySignatureField(const internal::FieldRecord& field) {
  return field.type == "Sig" && internal::Find(*field.object->AsDict(), "V") == nullptr;
}

// The prepared field `request` asks for (SignatureRequest::field_name), or nullopt for a new one.
Result<std::optional<PreparedField>> FindPreparedField(
    internal::Document& document, const std::vector<internal::FieldRecord>& fields,
    const std::vector<internal::PageRecord>& pages, const SignatureRequest& request,
    const std::string& field_name) {
  auto place = [&](const internal::FieldRecord& field) -> Result<PreparedField> {
    PreparedField prepared{field, field.ref, -1, {}};
    TINHSO_ASSIGN_OR_RETURN(const auto placement,
                            document.Placement(field, pages, &prepared.widget));
    prepared.page_index = placement.first;
    const internal::Box& b = placement.second;
    prepared.rect = Rect{b[0], b[1], b[2], b[3]};
    return prepared;
  };
  if (!field_name.empty()) {
    for (const internal::FieldRecord& field : fields) {
      if (field.name != field_name) {
        continue;
      }
      if (!IsEmptySignatureField(field)) {
        break;  // taken: pdf.field_exists
      }
      TINHSO_ASSIGN_OR_RETURN(PreparedField prepared, place(field));
      if (prepared.page_index < 0) {
        return Invalid("Trường chữ ký \"" + field_name + "\" không nằm trên trang nào",
                       "the signature field \"" + field_name + "\" is on no page");
      }
      if (request.appearance.kind != AppearanceKind::kInvisible && !CheckRect(prepared.rect).ok()) {
        return Invalid(
            "Trường chữ ký \"" + field_name + "\" không có chỗ để hiện chữ ký",
            "the signature field \"" + field_name + "\" has no area to show the signature in");
      }
      return std::optional<PreparedField>(std::move(prepared));
    }
    return std::optional<PreparedField>();
  }
  if (request.appearance.kind == AppearanceKind::kInvisible || !NoBox(request.appearance.rect)) {
    return std::optional<PreparedField>();
  }
  std::optional<PreparedField> found;
  int count = 0;
  for (const internal::FieldRecord& field : fields) {
    if (!IsEmptySignatureField(field)) {
      continue;
    }
    TINHSO_ASSIGN_OR_RETURN(PreparedField prepared, place(field));
    if (prepared.page_index < 0 || !CheckRect(prepared.rect).ok()) {
      continue;  // hidden or on no page: not a place for a visible signature
    }
    ++count;
    found = std::move(prepared);
  }
  if (count != 1) {
    return MakeError(
        ErrorCode::kInvalidArgument, "pdf.box_required",
        count == 0 ? "Chữ ký hiển thị cần vị trí (khung chữ ký): tệp không có ô chữ ký trống nào"
                   : "Chữ ký hiển thị cần vị trí (khung chữ ký) hoặc tên ô chữ ký: tệp có " +
                         std::to_string(count) + " ô chữ ký trống",
        count == 0 ? "a visible signature needs a box: the file has no empty signature field"
                   : "a visible signature needs a box or a signature field's name: the file has " +
                         std::to_string(count) + " empty signature fields");
  }
  return found;
}

// Form fields lacking appearance streams that get one when /NeedAppearances goes: beyond this
// many, the file keeps /NeedAppearances (and poppler shows no signature) rather than making
// signing cost seconds.
constexpr std::size_t kMaxGeneratedAppearances = 256;

// The numbers of a /DA string ("/Helv 10 Tf 0 g"): font size and colour.
void ReadDefaultAppearance(std::string_view da, internal::FieldText& text) {
  std::vector<std::string_view> tokens;
  for (std::size_t i = 0; i < da.size();) {
    const std::size_t start = da.find_first_not_of(" \t\r\n", i);
    if (start == std::string_view::npos) break;
    const std::size_t end = std::min(da.find_first_of(" \t\r\n", start), da.size());
    tokens.push_back(da.substr(start, end - start));
    i = end;
  }
  auto number = [&](std::size_t i, double& out) {
    const std::string token(tokens[i]);
    char* end = nullptr;
    out = std::strtod(token.c_str(), &end);
    return end != token.c_str() && *end == '\0' && std::isfinite(out);
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    double a = 0;
    double b = 0;
    double c = 0;
    if (tokens[i] == "Tf" && i >= 1 && number(i - 1, a) && a >= 0 && a <= 144) {
      text.font_size = a;
    } else if (tokens[i] == "g" && i >= 1 && number(i - 1, a)) {
      text.rgb[0] = text.rgb[1] = text.rgb[2] = std::clamp(a, 0.0, 1.0);
    } else if (tokens[i] == "rg" && i >= 3 && number(i - 3, a) && number(i - 2, b) &&
               number(i - 1, c)) {
      text.rgb[0] = std::clamp(a, 0.0, 1.0);
      text.rgb[1] = std::clamp(b, 0.0, 1.0);
      text.rgb[2] = std::clamp(c, 0.0, 1.0);
    }
  }
}

// A text or choice field's value, as its widgets should show it; nullopt when it has none.
std::optional<internal::FieldText> FieldValue(const internal::FieldRecord& field,
                                              const Dict& acroform) {
  const Dict& dict = *field.object->AsDict();
  const Object* value = internal::Find(dict, "V");
  if (value == nullptr || (field.type != "Tx" && field.type != "Ch")) {
    return std::nullopt;
  }
  std::vector<const internal::String*> strings;
  if (value->AsString() != nullptr) {
    strings.push_back(value->AsString());
  } else if (value->AsArray() != nullptr) {  // a list box with several items chosen
    for (const Object& item : *value->AsArray()) {
      if (item.AsString() != nullptr) strings.push_back(item.AsString());
    }
  }
  internal::FieldText text;
  for (const internal::String* s : strings) {
    auto decoded = internal::DecodeTextString(s->bytes);
    if (!decoded.ok()) {
      return std::nullopt;
    }
    text.text += (text.text.empty() ? "" : "\n") + *decoded;
  }
  if (text.text.empty()) {
    return std::nullopt;
  }
  const Object* da = internal::Find(dict, "DA");
  if (da == nullptr || da->AsString() == nullptr) da = internal::Find(acroform, "DA");
  if (da != nullptr && da->AsString() != nullptr) {
    ReadDefaultAppearance(da->AsString()->bytes, text);
  }
  const Object* q = internal::Find(dict, "Q");
  if (q == nullptr) q = internal::Find(acroform, "Q");
  if (q != nullptr && q->AsInt() != nullptr && *q->AsInt() >= 0 && *q->AsInt() <= 2) {
    text.quadding = static_cast<int>(*q->AsInt());
  }
  const Object* flags = internal::Find(dict, "Ff");
  text.multiline = field.type == "Tx" ? flags != nullptr && flags->AsInt() != nullptr &&
                                            (*flags->AsInt() & (1 << 12)) != 0
                                      : strings.size() > 1;
  return text;
}

bool HasNormalAppearance(const Dict& widget) {
  const Object* ap = internal::Find(widget, "AP");
  return ap != nullptr && ap->AsDict() != nullptr && internal::Find(*ap->AsDict(), "N") != nullptr;
}

// A widget that gets a drawn value: its object (copied, to be written back with /AP) and page.
struct ValueWidget {
  Ref ref;
  Dict dict;
  int page_index = -1;
  internal::FieldText text;
};

// The widgets of text and choice fields with a value and no appearance stream, which viewers drew
// only because /NeedAppearances asked them to. Fails (nullopt) beyond kMaxGeneratedAppearances.
Result<std::optional<std::vector<ValueWidget>>> WidgetsToDraw(
    internal::Document& document, const std::vector<internal::FieldRecord>& fields,
    const std::vector<internal::PageRecord>& pages, const Dict& acroform) {
  std::vector<ValueWidget> widgets;
  for (const internal::FieldRecord& field : fields) {
    const std::optional<internal::FieldText> text = FieldValue(field, acroform);
    if (!text) {
      continue;
    }
    const Dict& dict = *field.object->AsDict();
    std::vector<Ref> refs;
    if (internal::Find(dict, "Rect") != nullptr) {
      refs.push_back(field.ref);  // merged with its widget
    } else if (const Object* kids = internal::Find(dict, "Kids")) {
      TINHSO_ASSIGN_OR_RETURN(const internal::Array items, CopyArray(document, kids, "/Kids"));
      for (const Object& kid : items) {
        if (kid.AsRef() != nullptr) refs.push_back(*kid.AsRef());
      }
    }
    for (const Ref& ref : refs) {
      TINHSO_ASSIGN_OR_RETURN(const Object* widget, document.Get(ref));
      if (widget->type() != Object::Type::kDict || HasNormalAppearance(*widget->AsDict())) {
        continue;
      }
      TINHSO_ASSIGN_OR_RETURN(const internal::Box box, document.RectOf(*widget->AsDict()));
      if (!CheckRect(Rect{box[0], box[1], box[2], box[3]}).ok()) {
        continue;  // hidden (no area): nothing to draw
      }
      if (widgets.size() == kMaxGeneratedAppearances) {
        return std::optional<std::vector<ValueWidget>>();
      }
      TINHSO_ASSIGN_OR_RETURN(const int page, document.PageOf(ref, *widget->AsDict(), pages));
      widgets.push_back(
          {Ref{ref.num, document.GenerationOf(ref.num)}, *widget->AsDict(), page, *text});
    }
  }
  return std::optional<std::vector<ValueWidget>>(std::move(widgets));
}

}  // namespace

std::string Prepared::BytesToSign() const {
  const auto a = static_cast<std::size_t>(byte_range[1]);
  const auto b = static_cast<std::size_t>(byte_range[2]);
  const auto c = static_cast<std::size_t>(byte_range[3]);
  if (a > pdf.size() || b > pdf.size() || c > pdf.size() - b) {
    return {};
  }
  std::string bytes;
  bytes.reserve(a + c);
  bytes.append(pdf, 0, a);
  bytes.append(pdf, b, c);
  return bytes;
}

Rect DisplayedBox(const PageInfo& page) {
  const Rect& c = page.crop_box;
  const bool sideways = page.rotate == 90 || page.rotate == 270;
  return Rect{c.x1, c.y1, c.x1 + (sideways ? c.height() : c.width()),
              c.y1 + (sideways ? c.width() : c.height())};
}

bool FitsOnPage(const PageInfo& page, const Rect& box) {
  constexpr double kTolerance = 0.5;  // rounding in the caller's arithmetic
  const Rect visible = DisplayedBox(page);
  return box.x1 >= visible.x1 - kTolerance && box.y1 >= visible.y1 - kTolerance &&
         box.x2 <= visible.x2 + kTolerance && box.y2 <= visible.y2 + kTolerance;
}

Rect TopRightBox(const PageInfo& page, double width, double height, double margin) {
  const Rect visible = DisplayedBox(page);
  return Rect{visible.x2 - margin - width, visible.y2 - margin - height, visible.x2 - margin,
              visible.y2 - margin};
}

Rect SealBox(const Rect& signer_box, double seal_size, double text_width) {
  // The seal's right edge a third into the signature; a seal narrower than that third starts at
  // the signature's left edge instead, so that the text left of it never reaches the signature.
  const double right_of_seal = signer_box.x1 + std::min(signer_box.width() / 3, seal_size);
  const double middle = (signer_box.y1 + signer_box.y2) / 2;
  return Rect{right_of_seal - seal_size - text_width, middle - seal_size / 2, right_of_seal,
              middle + seal_size / 2};
}

Result<Prepared> PrepareSignature(std::string_view pdf, const SignatureRequest& request) {
  TINHSO_RETURN_IF_ERROR(CheckRequest(request));
  TINHSO_ASSIGN_OR_RETURN(auto document, internal::Document::Open(pdf));
  if (document->encrypted()) {
    return internal::Encrypted();
  }
  // A certified document (§12.8.2.2) permits no changes (P=1), or filling in forms and signing
  // the fields already there (P=2): a new signature field and widget are an annotation, which
  // only P=3 permits. So after P=2 only a prepared field is signed (checked once it is found).
  TINHSO_ASSIGN_OR_RETURN(const int certification, document->CertificationPermission());
  if (certification == 1) return internal::CertifiedDocument(certification);
  TINHSO_ASSIGN_OR_RETURN(const std::vector<internal::PageRecord> pages, document->Pages());
  TINHSO_ASSIGN_OR_RETURN(const std::vector<internal::FieldRecord> fields, document->Fields());
  std::unordered_set<std::string> names;
  bool already_signed = false;
  for (const internal::FieldRecord& field : fields) {
    names.insert(field.name);
    // A non-terminal name is taken too: "a.b" blocks a new top-level field "a".
    for (std::size_t dot = field.name.find('.'); dot != std::string::npos;
         dot = field.name.find('.', dot + 1)) {
      names.insert(field.name.substr(0, dot));
    }
    already_signed |= field.type == "Sig" && internal::Find(*field.object->AsDict(), "V");
  }
  std::string field_name = core::ToNfc(request.field_name);
  TINHSO_ASSIGN_OR_RETURN(const std::optional<PreparedField> prepared_field,
                          FindPreparedField(*document, fields, pages, request, field_name));
  if (certification == 2 && !prepared_field) return internal::CertifiedDocument(certification);
  if (prepared_field) {
    field_name = prepared_field->field.name;
  } else if (field_name.empty()) {
    for (int i = 1;; ++i) {
      field_name = "Signature" + std::to_string(i);
      if (!names.contains(field_name)) {
        break;
      }
    }
  } else if (names.contains(field_name)) {
    return MakeError(ErrorCode::kAlreadyExists, "pdf.field_exists",
                     "Tệp PDF đã có trường tên \"" + field_name + "\"",
                     "the PDF already has a field named \"" + field_name + "\"");
  }
  const int page_index = prepared_field ? prepared_field->page_index : request.page_index;
  if (page_index < 0 || static_cast<std::size_t>(page_index) >= pages.size()) {
    return Invalid("Trang được chọn để ký không có trong tệp",
                   "the page chosen for the signature is not in the file");
  }
  const internal::PageRecord& page = pages[static_cast<std::size_t>(page_index)];
  const PageInfo page_info = InfoOf(page);
  const bool visible = request.appearance.kind != AppearanceKind::kInvisible;
  // The widget's rectangle in default user space: the prepared field's own, or the caller's box
  // turned from the page as displayed.
  Rect user_rect;
  if (prepared_field) {
    user_rect = prepared_field->rect;
  } else if (visible) {
    TINHSO_RETURN_IF_ERROR(CheckOnPage(page_info, request.appearance.rect, page_index));
    user_rect = DisplayedToUser(page_info, request.appearance.rect);
  }

  // The arrays the new field joins, read before numbering new objects: a dangling reference in
  // them (to a number no object has) must not end up naming the new widget.
  Dict page_dict = *page.object->AsDict();
  TINHSO_ASSIGN_OR_RETURN(
      internal::Array annots,
      CopyArray(*document, internal::Find(page_dict, "Annots"), "page /Annots"));
  TINHSO_ASSIGN_OR_RETURN(const Ref root, document->RootRef());
  TINHSO_ASSIGN_OR_RETURN(const Dict* catalog, document->Catalog());
  const Object* acroform_entry = internal::Find(*catalog, "AcroForm");
  const Object* acroform = nullptr;
  internal::Array fields_array;
  if (acroform_entry != nullptr) {
    TINHSO_ASSIGN_OR_RETURN(acroform, document->Resolve(*acroform_entry));
    if (!acroform->IsNull() && acroform->type() != Object::Type::kDict) {
      return internal::Malformed("/AcroForm is not a dictionary");
    }
    if (!acroform->IsNull()) {
      TINHSO_ASSIGN_OR_RETURN(
          fields_array,
          CopyArray(*document, internal::Find(*acroform->AsDict(), "Fields"), "/Fields"));
    }
  }
  const Dict no_form;
  const Dict& form_dict =
      acroform != nullptr && !acroform->IsNull() ? *acroform->AsDict() : no_form;
  // /NeedAppearances true makes poppler redraw every widget, signatures blank; it goes, and the
  // values viewers would have drawn are drawn here (PrepareSignature's comment says more).
  std::optional<std::vector<ValueWidget>> value_widgets;
  if (const Object* need = internal::Find(form_dict, "NeedAppearances");
      need != nullptr && need->AsBool() != nullptr && *need->AsBool() && !already_signed) {
    TINHSO_ASSIGN_OR_RETURN(value_widgets, WidgetsToDraw(*document, fields, pages, form_dict));
  }
  // Each object is rewritten at most once; a page that is also the catalog or the form is a trap.
  if (page.ref.num == root.num ||
      (acroform_entry != nullptr && acroform_entry->AsRef() != nullptr &&
       (acroform_entry->AsRef()->num == page.ref.num ||
        acroform_entry->AsRef()->num == root.num))) {
    return internal::Malformed("the page, the catalog and /AcroForm are not distinct objects");
  }
  internal::UpdateWriter writer(*document);
  for (const internal::Array* items : {&annots, &fields_array}) {
    for (const Object& item : *items) {
      if (item.AsRef() != nullptr) {
        writer.ReserveAbove(item.AsRef()->num);
      }
    }
  }
  const Ref signature = writer.Allocate();
  const Ref widget = prepared_field ? prepared_field->widget : writer.Allocate();
  Ref form;
  if (visible || prepared_field) {
    TINHSO_ASSIGN_OR_RETURN(form, WriteAppearance(writer, request, user_rect, page.rotate));
  }

  if (value_widgets) {
    for (ValueWidget& value_widget : *value_widgets) {
      const int rotate = value_widget.page_index >= 0
                             ? pages[static_cast<std::size_t>(value_widget.page_index)].rotate
                             : 0;
      TINHSO_ASSIGN_OR_RETURN(const internal::Box box, document->RectOf(value_widget.dict));
      const auto [w, h] = DisplayedSize(Rect{box[0], box[1], box[2], box[3]}, rotate);
      TINHSO_ASSIGN_OR_RETURN(const internal::AppearancePixels pixels,
                              internal::RenderFieldValue(value_widget.text, w, h));
      const Ref value_form = WriteImageForm(writer, pixels, w, h, rotate);
      internal::Set(value_widget.dict, "AP",
                    internal::MakeDict({{"N", internal::MakeRef(value_form)}}));
      TINHSO_RETURN_IF_ERROR(
          writer.WriteObject(value_widget.ref, internal::MakeDict(std::move(value_widget.dict))));
    }
  }

  bool page_changed = false;
  if (prepared_field) {
    // The prepared field gets its value and its widget the appearance; nothing else changes, so
    // that earlier signatures see only what signing does (ObjectChange::Kind::kAllowed).
    Dict field_dict = *prepared_field->field.object->AsDict();
    internal::Set(field_dict, "V", internal::MakeRef(signature));
    const Ref field_ref{prepared_field->field.ref.num,
                        document->GenerationOf(prepared_field->field.ref.num)};
    if (prepared_field->widget == prepared_field->field.ref) {
      internal::Set(field_dict, "AP", internal::MakeDict({{"N", internal::MakeRef(form)}}));
    } else {
      TINHSO_ASSIGN_OR_RETURN(const Object* widget_object, document->Get(widget));
      if (widget_object->type() != Object::Type::kDict) {
        return internal::Malformed("a signature field's widget is not a dictionary");
      }
      Dict widget_dict = *widget_object->AsDict();
      internal::Set(widget_dict, "AP", internal::MakeDict({{"N", internal::MakeRef(form)}}));
      TINHSO_RETURN_IF_ERROR(writer.WriteObject(Ref{widget.num, document->GenerationOf(widget.num)},
                                                internal::MakeDict(std::move(widget_dict))));
    }
    TINHSO_RETURN_IF_ERROR(
        writer.WriteObject(field_ref, internal::MakeDict(std::move(field_dict))));
    // A widget found through its /P only is not drawn until it is in the page's /Annots.
    const bool listed = std::any_of(annots.begin(), annots.end(), [&](const Object& item) {
      return item.AsRef() != nullptr && item.AsRef()->num == widget.num;
    });
    if (!listed) {
      annots.push_back(internal::MakeRef(Ref{widget.num, document->GenerationOf(widget.num)}));
      page_changed = true;
    }
  } else {
    // The widget, merged with its field (§12.7.3.1).
    std::string widget_text =
        "<< /Type /Annot /Subtype /Widget /FT /Sig /T " + TextToken(field_name) + " /V " +
        std::to_string(signature.num) + " 0 R /P " + std::to_string(page.ref.num) + " " +
        std::to_string(page.ref.gen) + " R /F " + std::to_string(kWidgetFlags);
    if (visible) {
      widget_text +=
          " /Rect " + RectText(user_rect) + " /AP << /N " + std::to_string(form.num) + " 0 R >>";
    } else {
      widget_text += " /Rect [0 0 0 0]";
    }
    widget_text += " >>";
    writer.BeginObject(widget);
    writer.out() += widget_text;
    writer.EndObject();
    annots.push_back(internal::MakeRef(widget));
    page_changed = true;
  }

  // The page, with the widget added to its /Annots.
  if (page_changed) {
    internal::Set(page_dict, "Annots", internal::MakeArray(std::move(annots)));
    TINHSO_RETURN_IF_ERROR(writer.WriteObject(page.ref, internal::MakeDict(std::move(page_dict))));
  }

  // The interactive form: created, or its /Fields extended where it lives.
  const std::optional<Ref> new_field = prepared_field ? std::nullopt : std::optional<Ref>(widget);
  const bool drop_need_appearances = value_widgets.has_value();
  if (acroform != nullptr && !acroform->IsNull() && acroform_entry->AsRef() != nullptr) {
    TINHSO_ASSIGN_OR_RETURN(
        Dict updated, UpdateForm(*document, *acroform->AsDict(), new_field, drop_need_appearances));
    const Ref acroform_ref{acroform_entry->AsRef()->num,
                           document->GenerationOf(acroform_entry->AsRef()->num)};
    TINHSO_RETURN_IF_ERROR(
        writer.WriteObject(acroform_ref, internal::MakeDict(std::move(updated))));
  } else {
    TINHSO_ASSIGN_OR_RETURN(Dict updated,
                            UpdateForm(*document, form_dict, new_field, drop_need_appearances));
    Dict catalog_copy = *catalog;
    if (acroform != nullptr && !acroform->IsNull()) {
      internal::Set(catalog_copy, "AcroForm", internal::MakeDict(std::move(updated)));
    } else {
      const Ref new_acroform = writer.Allocate();
      TINHSO_RETURN_IF_ERROR(
          writer.WriteObject(new_acroform, internal::MakeDict(std::move(updated))));
      internal::Set(catalog_copy, "AcroForm", internal::MakeRef(new_acroform));
    }
    TINHSO_RETURN_IF_ERROR(writer.WriteObject(Ref{root.num, document->GenerationOf(root.num)},
                                              internal::MakeDict(std::move(catalog_copy))));
  }

  // The signature dictionary, last of the objects so that /Contents is near the end of the file.
  writer.BeginObject(signature);
  std::string& out = writer.out();
  out += "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (" +
         internal::PdfDate(request.signing_time) + ")";
  const std::pair<const char*, const std::string*> optional_texts[] = {
      {"Name", &request.name},
      {"Reason", &request.reason},
      {"Location", &request.location},
      {"ContactInfo", &request.contact_info}};
  for (const auto& [key, value] : optional_texts) {
    if (!value->empty()) {
      out += std::string(" /") + key + " " + TextToken(*value);
    }
  }
  out += " /ByteRange [";
  const std::size_t byte_range_at = out.size();
  out += std::string(kByteRangeWidth, ' ') + "] /Contents <";
  const std::size_t contents_begin = out.size() - 1;
  out += std::string(request.contents_capacity * 2, '0');
  out += '>';
  const std::size_t contents_end = out.size();
  out += " >>";
  writer.EndObject();

  TINHSO_ASSIGN_OR_RETURN(std::string file, writer.Finish());
  Prepared prepared;
  prepared.byte_range = {0, static_cast<std::int64_t>(contents_begin),
                         static_cast<std::int64_t>(contents_end),
                         static_cast<std::int64_t>(file.size() - contents_end)};
  char numbers[64];
  std::snprintf(numbers, sizeof numbers, "0 %zu %zu %zu", contents_begin, contents_end,
                file.size() - contents_end);
  const std::string_view text(numbers);
  if (text.size() > kByteRangeWidth) {
    return internal::LimitExceeded("file too large for the /ByteRange placeholder");
  }
  std::copy(text.begin(), text.end(), file.begin() + static_cast<std::ptrdiff_t>(byte_range_at));
  prepared.pdf = std::move(file);
  prepared.contents_capacity = request.contents_capacity;
  prepared.field_name = std::move(field_name);
  return prepared;
}

Result<std::string> EmbedSignature(const Prepared& prepared, std::string_view cms_der) {
  const std::int64_t a = prepared.byte_range[1];
  const std::int64_t b = prepared.byte_range[2];
  const auto size = static_cast<std::int64_t>(prepared.pdf.size());
  if (prepared.byte_range[0] != 0 || a <= 0 || b <= a + 1 || b > size ||
      prepared.pdf[static_cast<std::size_t>(a)] != '<' ||
      prepared.pdf[static_cast<std::size_t>(b - 1)] != '>' ||
      static_cast<std::size_t>(b - a - 2) != prepared.contents_capacity * 2) {
    return Invalid("Dữ liệu chuẩn bị ký không hợp lệ", "the prepared file is not valid");
  }
  if (cms_der.empty()) {
    return Invalid("Chữ ký số rỗng", "the signature is empty");
  }
  if (cms_der.size() > prepared.contents_capacity) {
    return MakeError(ErrorCode::kInvalidArgument, "pdf.signature_too_large",
                     "Chữ ký số lớn hơn chỗ đã dành sẵn trong tệp PDF",
                     "the signature is larger than the space reserved in the PDF",
                     std::to_string(cms_der.size()) + " bytes, capacity " +
                         std::to_string(prepared.contents_capacity));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string file = prepared.pdf;
  std::size_t at = static_cast<std::size_t>(a) + 1;
  for (char ch : cms_der) {
    const auto c = static_cast<unsigned char>(ch);
    file[at++] = kHex[c >> 4];
    file[at++] = kHex[c & 0xf];
  }
  return file;
}

}  // namespace tinhso::pdf
