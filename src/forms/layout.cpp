// The page-flow engine: Cairo's PDF surface for drawing, Pango for every piece of text.
#include "forms/layout.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstdio>
#include <new>
#include <utility>

#include "core/text.hpp"

namespace tinhso::forms::internal {
namespace {

constexpr const char* kSerifFamily = "Liberation Serif";
constexpr const char* kSansFamily = "DejaVu Sans";
constexpr double kCellPaddingX = 2.5;  // points
constexpr double kCellPaddingY = 2.0;

Error RenderFailed(std::string detail) {
  return MakeError(ErrorCode::kInternal, "forms.render_failed",
                   "Không tạo được tệp PDF của biểu mẫu", "could not render the form as PDF",
                   std::move(detail));
}

// Cairo calls this with each piece of PDF output. It must not throw through C.
cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  try {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  } catch (const std::bad_alloc&) {
    return CAIRO_STATUS_WRITE_ERROR;
  }
}

// Pango's default font map is per thread (since Pango 1.32.6), so concurrent renders on
// different threads share nothing mutable, and each thread keeps its fonts and glyph caches
// between renders. A fresh PangoCairoFontMap per render is no safer and much slower: a Mẫu 01
// took 29–56 ms that way against 7–8 ms with the thread's map (RelWithDebInfo, one core).
PangoFontMap* ThreadFontMap() { return pango_cairo_font_map_get_default(); }

// Metrics as on a PDF surface: no hinting, so that layout is the same whether or not a
// surface exists (the counting pass has none) and text scales cleanly when printed.
void UseOutlineMetrics(PangoContext* context) {
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(context, options);
  cairo_font_options_destroy(options);
  // Cairo's PDF user unit is the point; at 72 dpi a 9 pt font is 9 units tall.
  pango_cairo_context_set_resolution(context, 72.0);
}

// Fontconfig silently substitutes a missing family, which would print Vietnamese with some
// other font (or boxes), and Liberation 1.x (Debian's fonts-liberation) has the family name
// without the Vietnamese letters of 2.x (fonts-liberation2). Checked once per thread, since the
// font map is per thread.
bool FamilyResolvesTo(PangoContext* context, const char* family) {
  PangoFontDescription* description = pango_font_description_from_string(family);
  PangoFont* font = pango_context_load_font(context, description);
  pango_font_description_free(description);
  if (font == nullptr) {
    return false;
  }
  PangoFontDescription* loaded = pango_font_describe(font);
  const char* loaded_family = pango_font_description_get_family(loaded);
  const bool same = loaded_family != nullptr && std::string_view(loaded_family) == family &&
                    pango_font_has_char(font, 0x1EC7) && pango_font_has_char(font, 0x1EF9);  // ệ ỹ
  pango_font_description_free(loaded);
  g_object_unref(font);
  return same;
}

bool FontsInstalled(PangoContext* context) {
  thread_local const bool installed =
      FamilyResolvesTo(context, kSerifFamily) && FamilyResolvesTo(context, kSansFamily);
  return installed;
}

// A value for a Cairo tag attribute: single-quoted, with \ and ' escaped.
std::string QuoteTagValue(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') {
      quoted += '\\';
    }
    quoted += c;
  }
  quoted += '\'';
  return quoted;
}

}  // namespace

PageSpec A5Portrait(std::string title, const std::optional<Date>& issued_on) {
  PageSpec spec{.width_pt = Mm(148),
                .height_pt = Mm(210),
                .margin_x_pt = Mm(12),
                .margin_top_pt = Mm(10),
                .margin_bottom_pt = Mm(11),
                .title = std::move(title)};
  if (issued_on) {
    // Bounded so that it always fits; an impossible date fails the render before it is used.
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", issued_on->year % 10000,
                  issued_on->month % 100, issued_on->day % 100);
    spec.creation_date = date;
  }
  return spec;
}

PageSpec A4Landscape(std::string title) {
  return {.width_pt = Mm(297),
          .height_pt = Mm(210),
          .margin_x_pt = Mm(12),
          .margin_top_pt = Mm(12),
          .margin_bottom_pt = Mm(13),
          .title = std::move(title)};
}

void Canvas::LayoutDeleter::operator()(PangoLayout* layout) const { g_object_unref(layout); }

Canvas::Canvas(const PageSpec& spec, bool drawing, int total_pages)
    : spec_(spec), drawing_(drawing), total_pages_(total_pages), y_(spec.margin_top_pt) {
  pango_ = pango_font_map_create_context(ThreadFontMap());
  UseOutlineMetrics(pango_);
  if (!FontsInstalled(pango_)) {
    Fail(RenderFailed(
        "the fonts Liberation Serif 2 (fonts-liberation2) and DejaVu Sans (fonts-dejavu-core) are "
        "missing or lack Vietnamese letters"));
  }
  if (!drawing_) {
    return;
  }
  surface_ =
      cairo_pdf_surface_create_for_stream(AppendToString, &pdf_, spec_.width_pt, spec_.height_pt);
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, spec_.title.c_str());
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "tinhso");
  // An empty date makes Cairo 1.16 leave /CreationDate out.
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATE_DATE,
                                 spec_.creation_date.c_str());
  cr_ = cairo_create(surface_);
  cairo_set_source_rgb(cr_, 0, 0, 0);
}

Canvas::~Canvas() {
  if (cr_ != nullptr) {
    cairo_destroy(cr_);
  }
  if (surface_ != nullptr) {
    cairo_surface_destroy(surface_);
  }
  g_object_unref(pango_);
}

void Canvas::Fail(Error error) {
  if (!error_) {
    error_ = std::move(error);
  }
}

namespace {

enum class Join { kAll, kNames };

// `text` with some spaces made U+00A0, at which Pango (UAX #14) never breaks a line: kAll joins
// every word, kNames only the syllables of a proper name (capitalised words in a row) and a
// number with the word before it.
std::string JoinWords(std::string_view text, Join join) {
  const auto first_char = [&](std::size_t at) -> gunichar {
    if (at >= text.size()) return 0;
    return g_utf8_get_char_validated(text.data() + at, static_cast<gssize>(text.size() - at));
  };
  const auto is_capital = [](gunichar c) { return c != 0 && g_unichar_isupper(c); };
  std::string joined;
  joined.reserve(text.size() + text.size() / 4);
  std::size_t word_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != ' ' || i == 0 || i + 1 >= text.size() || text[i + 1] == ' ') {
      joined += text[i];
      continue;
    }
    const gunichar after = first_char(i + 1);
    const bool same_name = is_capital(first_char(word_start)) && is_capital(after);
    const bool number = g_unichar_isdigit(after);
    joined += join == Join::kAll || same_name || number ? "\u00a0" : " ";
    word_start = i + 1;
  }
  return joined;
}

// Where a name or an address may be cut when it does not fit on one line: after punctuation,
// and before the words that join one name to another ("Bộ phận Một cửa | của Trung tâm Phục
// vụ hành chính công", "Phòng Tư pháp | thuộc UBND xã", "Văn hóa | và Thông tin").
std::vector<std::string_view> Phrases(std::string_view text) {
  static constexpr std::string_view kJoiners[] = {"của ", "thuộc ", "tại ", "và ", "- ", "– "};
  std::vector<std::string_view> phrases;
  std::size_t start = 0;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] != ' ') continue;
    const char last = text[i - 1];
    bool cut = last == ',' || last == ';' || last == ':' || last == ')';
    for (std::string_view joiner : kJoiners) {
      cut = cut || text.substr(i + 1, joiner.size()) == joiner;
    }
    if (cut) {
      phrases.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  phrases.push_back(text.substr(start));
  return phrases;
}

}  // namespace

std::string Canvas::EscapeName(std::string_view text, const TextStyle& style, double width) {
  std::string whole = Escape(JoinWords(text, Join::kAll));
  if (NaturalWidth(whole, style) <= width) return whole;
  std::string cut;
  for (std::string_view phrase : Phrases(text)) {
    std::string kept = Escape(JoinWords(phrase, Join::kAll));
    if (NaturalWidth(kept, style) > width) kept = Escape(JoinWords(phrase, Join::kNames));
    cut += (cut.empty() ? "" : " ") + kept;
  }
  return cut;
}

std::string Canvas::Escape(std::string_view text, bool upper) {
  if (!core::IsValidUtf8(text)) {
    Fail(MakeError(ErrorCode::kInvalidArgument, "forms.invalid_input",
                   "Nội dung biểu mẫu có ký tự không hợp lệ (không phải UTF-8)",
                   "form text is not valid UTF-8"));
  }
  // Control characters other than tab and newline are not allowed in markup, and mean nothing
  // on paper.
  std::string clean;
  for (char c : core::ToNfc(text)) {  // ToNfc also turns invalid bytes into U+FFFD
    if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') {
      clean += c;
    }
  }
  if (upper) {
    gchar* upper_text = g_utf8_strup(clean.data(), static_cast<gssize>(clean.size()));
    clean = upper_text;
    g_free(upper_text);
  }
  std::string escaped;
  escaped.reserve(clean.size());
  for (char c : clean) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&apos;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

Canvas::LayoutPtr Canvas::MakeLayout(const std::string& markup, const TextStyle& style,
                                     double width) {
  LayoutPtr layout(pango_layout_new(pango_));
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family_static(
      font, style.family == Family::kSerif ? kSerifFamily : kSansFamily);
  pango_font_description_set_size(font, static_cast<gint>(style.size_pt * PANGO_SCALE));
  pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(font, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_layout_set_font_description(layout.get(), font);
  pango_font_description_free(font);
  if (width > 0) {
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    // Words first; a word longer than the line (a URL) breaks between characters.
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  }
  switch (style.align) {
    case Align::kLeft:
      pango_layout_set_alignment(layout.get(), PANGO_ALIGN_LEFT);
      break;
    case Align::kCenter:
      pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
      break;
    case Align::kRight:
      pango_layout_set_alignment(layout.get(), PANGO_ALIGN_RIGHT);
      break;
  }
  pango_layout_set_line_spacing(layout.get(), static_cast<float>(style.line_spacing));

  // Parsed here rather than by pango_layout_set_markup, which only logs a warning on bad
  // markup: a bad tag is our bug and must fail the render.
  PangoAttrList* attributes = nullptr;
  char* text = nullptr;
  GError* parse_error = nullptr;
  if (!pango_parse_markup(markup.data(), static_cast<int>(markup.size()), 0, &attributes, &text,
                          nullptr, &parse_error)) {
    Fail(RenderFailed(std::string("bad markup: ") + parse_error->message));
    g_error_free(parse_error);
    return layout;
  }
  pango_layout_set_text(layout.get(), text, -1);
  pango_layout_set_attributes(layout.get(), attributes);
  pango_attr_list_unref(attributes);
  g_free(text);
  return layout;
}

double Canvas::HeightOf(PangoLayout* layout) {
  int layout_width = 0;
  int layout_height = 0;
  pango_layout_get_size(layout, &layout_width, &layout_height);
  return static_cast<double>(layout_height) / PANGO_SCALE;
}

void Canvas::Show(double x, double top, PangoLayout* layout) {
  if (drawing_) {
    cairo_move_to(cr_, x, top);
    pango_cairo_show_layout(cr_, layout);
  }
}

double Canvas::Measure(const std::string& markup, const TextStyle& style, double width) {
  return HeightOf(MakeLayout(markup, style, width).get());
}

double Canvas::NaturalWidth(const std::string& markup, const TextStyle& style) {
  LayoutPtr layout = MakeLayout(markup, style, 0);
  int layout_width = 0;
  int layout_height = 0;
  pango_layout_get_size(layout.get(), &layout_width, &layout_height);
  return static_cast<double>(layout_width) / PANGO_SCALE;
}

double Canvas::DrawAt(double x, double top, double width, const std::string& markup,
                      const TextStyle& style) {
  LayoutPtr layout = MakeLayout(markup, style, width);
  Show(x, top, layout.get());
  return HeightOf(layout.get());
}

void Canvas::Paragraph(const std::string& markup, const TextStyle& style, double indent) {
  LayoutPtr layout = MakeLayout(markup, style, content_width() - indent);
  const double height = HeightOf(layout.get());
  KeepTogether(height);
  Show(left() + indent, y_, layout.get());
  y_ += height;
}

void Canvas::LinkParagraph(const std::string& markup, const TextStyle& style,
                           std::string_view uri) {
  LayoutPtr layout = MakeLayout(markup, style, content_width());
  const double height = HeightOf(layout.get());
  KeepTogether(height);
  const std::string attributes = "uri=" + QuoteTagValue(uri);
  if (drawing_) {
    cairo_tag_begin(cr_, CAIRO_TAG_LINK, attributes.c_str());
  }
  Show(left(), y_, layout.get());
  if (drawing_) {
    cairo_tag_end(cr_, CAIRO_TAG_LINK);
  }
  y_ += height;
}

void Canvas::HorizontalRule(double x1, double x2, double y, double line_width_pt) {
  if (!drawing_) {
    return;
  }
  cairo_set_line_width(cr_, line_width_pt);
  cairo_move_to(cr_, x1, y);
  cairo_line_to(cr_, x2, y);
  cairo_stroke(cr_);
}

void Canvas::StrokeRect(double x, double y, double width, double height, double line_width_pt) {
  if (!drawing_) {
    return;
  }
  cairo_set_line_width(cr_, line_width_pt);
  cairo_rectangle(cr_, x, y, width, height);
  cairo_stroke(cr_);
}

void Canvas::FillRects(const std::vector<Rect>& rects, bool white) {
  if (!drawing_ || rects.empty()) {
    return;
  }
  cairo_save(cr_);
  if (white) {
    cairo_set_source_rgb(cr_, 1, 1, 1);
  }
  for (const Rect& rect : rects) {
    cairo_rectangle(cr_, rect.x, rect.y, rect.width, rect.height);
  }
  cairo_fill(cr_);
  cairo_restore(cr_);
}

void Canvas::KeepTogether(double height) {
  // On a fresh page there is nowhere better to go: an oversized block runs off the bottom.
  const bool page_is_empty = y_ <= spec_.margin_top_pt + 0.01;
  if (y_ + height > bottom() && !page_is_empty) {
    NewPage();
  }
}

void Canvas::DrawFooter() {
  if (total_pages_ <= 1) {
    return;
  }
  const TextStyle style{.family = Family::kSans, .size_pt = 7, .align = Align::kCenter};
  const std::string text = "Trang " + std::to_string(page_) + "/" + std::to_string(total_pages_);
  const double height = Measure(text, style, content_width());
  DrawAt(left(), bottom() + (spec_.margin_bottom_pt - height) / 2, content_width(), text, style);
}

void Canvas::NewPage() {
  DrawFooter();
  if (drawing_) {
    cairo_show_page(cr_);
  }
  ++page_;
  y_ = spec_.margin_top_pt;
}

Canvas::LaidOutRow Canvas::LayOutRow(const std::vector<Column>& columns,
                                     const std::vector<std::string>& cells, const TextStyle& style,
                                     bool header) {
  double total_share = 0;
  for (const Column& column : columns) {
    total_share += column.share;
  }
  LaidOutRow row;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    TextStyle cell_style = style;
    cell_style.align = header ? Align::kCenter : columns[i].align;
    const double width = content_width() * columns[i].share / total_share - 2 * kCellPaddingX;
    row.cells.push_back(MakeLayout(i < cells.size() ? cells[i] : std::string(), cell_style, width));
    row.cell_heights.push_back(HeightOf(row.cells.back().get()));
    row.height = std::max(row.height, row.cell_heights.back());
  }
  row.height += 2 * kCellPaddingY;
  return row;
}

void Canvas::DrawRow(const std::vector<Column>& columns, const LaidOutRow& row, bool header) {
  double total_share = 0;
  for (const Column& column : columns) {
    total_share += column.share;
  }
  double x = left();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const double width = content_width() * columns[i].share / total_share;
    StrokeRect(x, y_, width, row.height);
    // Header cells are centred vertically; body cells start at the top, like the templates.
    const double top = header ? y_ + (row.height - row.cell_heights[i]) / 2 : y_ + kCellPaddingY;
    Show(x + kCellPaddingX, top, row.cells[i].get());
    x += width;
  }
}

void Canvas::Table(const std::vector<Column>& columns,
                   const std::vector<std::vector<std::string>>& rows, const TextStyle& body,
                   const TextStyle& header) {
  std::vector<std::string> header_cells;
  for (const Column& column : columns) {
    header_cells.push_back(column.header_markup);
  }
  const LaidOutRow header_row = LayOutRow(columns, header_cells, header, /*header=*/true);
  const auto draw_header = [&] {
    DrawRow(columns, header_row, /*header=*/true);
    y_ += header_row.height;
  };
  if (rows.empty()) {
    KeepTogether(header_row.height);
    draw_header();
    return;
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const LaidOutRow row = LayOutRow(columns, rows[i], body, /*header=*/false);
    if (i == 0) {
      // A header row alone at the foot of a page is useless: keep it with the first row.
      KeepTogether(header_row.height + row.height);
      draw_header();
    } else if (y_ + row.height > bottom()) {
      NewPage();
      draw_header();
    }
    DrawRow(columns, row, /*header=*/false);
    y_ += row.height;
  }
}

Result<std::string> Canvas::Finish() {
  DrawFooter();
  if (error_) {
    return *error_;
  }
  if (!drawing_) {
    return std::string();
  }
  cairo_status_t status = cairo_status(cr_);
  cairo_destroy(cr_);
  cr_ = nullptr;
  cairo_surface_finish(surface_);
  if (status == CAIRO_STATUS_SUCCESS) {
    status = cairo_surface_status(surface_);
  }
  if (status != CAIRO_STATUS_SUCCESS) {
    return RenderFailed(std::string("cairo: ") + cairo_status_to_string(status));
  }
  return std::move(pdf_);
}

Result<std::string> RenderPdf(const PageSpec& spec, const Compose& compose) {
  int pages = 0;
  {
    Canvas counting(spec, /*drawing=*/false, /*total_pages=*/0);
    compose(counting);
    TINHSO_RETURN_IF_ERROR(counting.Finish());
    pages = counting.page_count();
  }
  Canvas canvas(spec, /*drawing=*/true, pages);
  compose(canvas);
  return canvas.Finish();
}

}  // namespace tinhso::forms::internal
