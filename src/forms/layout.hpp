// Internal to src/forms: a page-flow engine over Cairo's PDF surface and Pango, and the parts
// every form shares (letterhead, title, signatures). Not part of the module's API.
//
// A form is a `Compose` function that draws top to bottom on a Canvas. RenderPdf runs it twice:
// first without drawing, to learn how many pages it takes, then for real, so that page footers
// can say "Trang 1/3". Composing must therefore be deterministic (it is: it only reads its input).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "forms/forms.hpp"

// Cairo and Pango types, declared here so that only layout.cpp includes their headers.
typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
typedef struct _PangoContext PangoContext;
typedef struct _PangoLayout PangoLayout;

namespace tinhso::forms::internal {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double Mm(double mm) { return mm * kPointsPerMm; }

enum class Family { kSerif, kSans };
enum class Align { kLeft, kCenter, kRight };

struct TextStyle {
  Family family = Family::kSerif;
  double size_pt = 9.0;
  bool bold = false;
  bool italic = false;
  Align align = Align::kLeft;
  double line_spacing = 1.1;  // multiple of the font's natural line height
};

struct PageSpec {
  double width_pt = 0;
  double height_pt = 0;
  double margin_x_pt = 0;
  double margin_top_pt = 0;
  double margin_bottom_pt = 0;  // the footer ("Trang 1/2") sits inside this margin
  std::string title;            // PDF metadata
  // The PDF's creation date, "YYYY-MM-DD" (the form's issue date), or empty for none. Set
  // rather than left to Cairo, which would read the clock: the same form gives the same bytes.
  std::string creation_date;
};

PageSpec A5Portrait(std::string title, const std::optional<Date>& issued_on);
PageSpec A4Landscape(std::string title);

// A table column: a share of the table's width, the header cell's markup, cell alignment.
struct Column {
  double share = 1.0;
  std::string header_markup;
  Align align = Align::kLeft;
};

// Draws one form, page by page, top to bottom. Text is Pango markup: every piece of caller text
// goes through Escape(), which also records invalid UTF-8 as the render's error. Errors are
// sticky (the first one wins) and come out of RenderPdf; drawing calls never fail.
// Not thread-safe: one Canvas per render, used by one thread.
class Canvas {
 public:
  // `drawing` false: measure and paginate only. `total_pages` is known only when drawing.
  Canvas(const PageSpec& spec, bool drawing, int total_pages);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  // Caller text made safe for markup (NFC, <>& escaped, upper-cased when `upper`). Invalid
  // UTF-8 becomes U+FFFD and fails the render with kInvalidArgument.
  std::string Escape(std::string_view text, bool upper = false);
  // Escape() for a name (a person, an agency, a place, an address) or a date, to be set in
  // `style` in a column `width` points wide. When it fits on one line it is kept whole: a line
  // may break before it but not inside it ("Trung tâm Phục vụ hành chính công", "16 giờ 00 phút,
  // ngày 24 tháng 11 năm 2026"). When it does not, it is cut only between its phrases (after
  // punctuation, before "của", "thuộc", "tại", "và"), each kept whole if it fits; within a
  // phrase wider than the column, a proper name's syllables ("Phan Đình Phùng") and a number
  // with the word before it ("tháng 11") still stay together.
  std::string EscapeName(std::string_view text, const TextStyle& style, double width);
  // Records `error` unless an earlier one is already recorded.
  void Fail(Error error);

  // Content box, in points from the page's top-left corner.
  double left() const { return spec_.margin_x_pt; }
  double right() const { return spec_.width_pt - spec_.margin_x_pt; }
  double content_width() const { return right() - left(); }
  double bottom() const { return spec_.height_pt - spec_.margin_bottom_pt; }
  double y() const { return y_; }
  void Skip(double dy) { y_ += dy; }
  int page_count() const { return page_; }

  // Height of `markup` laid out `width` points wide.
  double Measure(const std::string& markup, const TextStyle& style, double width);
  // Width of the widest line of `markup` when not wrapped.
  double NaturalWidth(const std::string& markup, const TextStyle& style);
  // Draws at (x, top); returns the height used. Does not move the flow.
  double DrawAt(double x, double top, double width, const std::string& markup,
                const TextStyle& style);
  // Draws a paragraph in the flow (kept on one page), `indent` from the left edge, and moves
  // below it.
  void Paragraph(const std::string& markup, const TextStyle& style, double indent = 0);
  // Same, and the text is a hyperlink to `uri` in PDF viewers.
  void LinkParagraph(const std::string& markup, const TextStyle& style, std::string_view uri);

  void HorizontalRule(double x1, double x2, double y, double line_width_pt = 0.6);
  void StrokeRect(double x, double y, double width, double height, double line_width_pt = 0.5);
  // Fills `rects` (x, y, width, height each) black in one path, so that touching rectangles
  // leave no hairline seams when rasterised.
  struct Rect {
    double x, y, width, height;
  };
  void FillRects(const std::vector<Rect>& rects, bool white = false);

  // Starts a new page unless `height` more points fit on this one.
  void KeepTogether(double height);
  void NewPage();

  // A bordered table across the content width; rows of cell markup. Rows never split; after a
  // page break the header row is repeated.
  void Table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows,
             const TextStyle& body, const TextStyle& header);

  // Ends the document; the PDF bytes, or the first recorded error.
  Result<std::string> Finish();

 private:
  struct LayoutDeleter {
    void operator()(PangoLayout* layout) const;
  };
  using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

  // A table row with its cells laid out, so that measuring and drawing shape text once.
  struct LaidOutRow {
    std::vector<LayoutPtr> cells;
    std::vector<double> cell_heights;
    double height = 0;
  };

  LayoutPtr MakeLayout(const std::string& markup, const TextStyle& style, double width);
  static double HeightOf(PangoLayout* layout);
  void Show(double x, double top, PangoLayout* layout);
  void DrawFooter();
  LaidOutRow LayOutRow(const std::vector<Column>& columns, const std::vector<std::string>& cells,
                       const TextStyle& style, bool header);
  void DrawRow(const std::vector<Column>& columns, const LaidOutRow& row, bool header);

  PageSpec spec_;
  bool drawing_;
  int total_pages_;
  int page_ = 1;
  double y_;
  std::string pdf_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  PangoContext* pango_ = nullptr;
  std::optional<Error> error_;
};

using Compose = std::function<void(Canvas&)>;

// Runs `compose` to count pages, then again to draw; returns the PDF bytes.
Result<std::string> RenderPdf(const PageSpec& spec, const Compose& compose);

// Shared parts of the forms.

// The two-column heading: agency block (and "Mã hồ sơ: …" under it when `dossier_code` is not
// empty) on the left, the national motto (and the date line when `issued_on` is given) on the
// right. Moves the flow below it.
void Heading(Canvas& canvas, const Letterhead& letterhead, std::string_view dossier_code,
             const std::optional<Date>& issued_on);
// The bold centred title, with an optional italic line under it.
void Title(Canvas& canvas, std::string_view title, std::string_view subtitle = {});
// "label value" as one paragraph, the value bold; skipped when `value` is empty.
void Field(Canvas& canvas, std::string_view label, std::string_view value, double indent = 0);
// Field() whose value is a name (Canvas::EscapeName): never split inside a part.
void NameField(Canvas& canvas, std::string_view label, std::string_view value);

struct Signer {
  std::string title;  // "NGƯỜI TIẾP NHẬN HỒ SƠ"
  std::string hint;   // "(Ký và ghi rõ họ tên)"
  std::string name;
};
// Signature blocks side by side (left may be empty), kept together on one page.
void Signatures(Canvas& canvas, const std::optional<Signer>& left, const Signer& right);

// Checks the fields every numbered form has; records the error on failure.
bool CheckCommon(Canvas& canvas, std::string_view dossier_code, const Date& issued_on);

// The body text style: Liberation Serif 9 pt, sized for A5; and its bold, for filled-in values.
TextStyle Body();
TextStyle BodyBold();

}  // namespace tinhso::forms::internal
