// Specimen signature images and seals for the demo province (forms.hpp). Real ones are scanned
// from the registered specimens; these only have to look the part: blue handwriting-like ink,
// and a red double ring with the organisation's name and a star.
#include <cairo.h>
#include <pango/pangocairo.h>

#include <cmath>

#include "forms/forms.hpp"

namespace tinhso::forms {
namespace {

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Draws `text` centred at (x, y) within `width`, in `font` ("DejaVu Serif Italic 40").
void CentredText(cairo_t* cr, std::string_view text, const char* font, double x, double y,
                 double width) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* description = pango_font_description_from_string(font);
  pango_layout_set_font_description(layout, description);
  pango_font_description_free(description);
  pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD);
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  int w = 0, h = 0;
  pango_layout_get_pixel_size(layout, &w, &h);
  cairo_move_to(cr, x - width / 2, y - h / 2.0);
  pango_cairo_show_layout(cr, layout);
  g_object_unref(layout);
}

Result<std::string> Finish(cairo_surface_t* surface, cairo_t* cr) {
  cairo_destroy(cr);
  std::string png;
  const bool ok = cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS &&
                  cairo_surface_write_to_png_stream(surface, Append, &png) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(surface);
  if (!ok) {
    return MakeError(ErrorCode::kInternal, "forms.render_failed", "Không vẽ được hình mẫu (Cairo).",
                     "The specimen could not be drawn (Cairo).");
  }
  return png;
}

}  // namespace

Result<std::string> SignatureSpecimenPng(std::string_view name) {
  constexpr int kWidth = 600, kHeight = 240;
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, kWidth, kHeight);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0.05, 0.2, 0.7);  // blue ink, as NĐ 30/2020 asks
  // A flourish under the given name, the way a signature often ends.
  cairo_set_line_width(cr, 5);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to(cr, 60, 175);
  cairo_curve_to(cr, 200, 215, 380, 140, 540, 185);
  cairo_stroke(cr);
  const std::size_t space = name.rfind(' ');
  const std::string_view given = space == std::string_view::npos ? name : name.substr(space + 1);
  CentredText(cr, given, "DejaVu Serif Italic 64", kWidth / 2.0, 105, kWidth - 40);
  return Finish(surface, cr);
}

Result<std::string> SealSpecimenPng(std::string_view organisation) {
  constexpr int kSize = 400;
  constexpr double kCentre = kSize / 2.0;
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, kSize, kSize);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgba(cr, 0.85, 0.05, 0.05, 0.9);  // seal red
  cairo_set_line_width(cr, 12);
  cairo_arc(cr, kCentre, kCentre, 186, 0, 2 * M_PI);
  cairo_stroke(cr);
  cairo_set_line_width(cr, 4);
  cairo_arc(cr, kCentre, kCentre, 160, 0, 2 * M_PI);
  cairo_stroke(cr);
  // A five-pointed star above the name.
  for (int i = 0; i < 10; ++i) {
    const double angle = -M_PI / 2 + i * M_PI / 5;
    const double r = i % 2 == 0 ? 42 : 17;
    const double x = kCentre + r * std::cos(angle), y = 115 + r * std::sin(angle);
    if (i == 0) {
      cairo_move_to(cr, x, y);
    } else {
      cairo_line_to(cr, x, y);
    }
  }
  cairo_close_path(cr);
  cairo_fill(cr);
  CentredText(cr, organisation, "DejaVu Sans Bold 24", kCentre, 235, 250);
  return Finish(surface, cr);
}

}  // namespace tinhso::forms
