#include "support/sample_images.hpp"

#include <cairo.h>

#include <cmath>

namespace tinhso::test {
namespace {

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string SurfaceToPng(cairo_surface_t* surface) {
  std::string png;
  cairo_surface_write_to_png_stream(surface, AppendToString, &png);
  return png;
}

}  // namespace

std::string SignaturePng(int width, int height) {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0.05, 0.15, 0.75);  // blue ink
  cairo_set_line_width(cr, height / 6.0);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to(cr, width * 0.05, height * 0.7);
  cairo_curve_to(cr, width * 0.3, height * 0.05, width * 0.5, height * 0.95, width * 0.95,
                 height * 0.3);
  cairo_stroke(cr);
  cairo_move_to(cr, width * 0.1, height * 0.5);
  cairo_line_to(cr, width * 0.9, height * 0.5);
  cairo_stroke(cr);
  cairo_destroy(cr);
  std::string png = SurfaceToPng(surface);
  cairo_surface_destroy(surface);
  return png;
}

std::string SealPng(int size) {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size, size);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0.85, 0.05, 0.05);  // seal red
  cairo_set_line_width(cr, size / 8.0);
  cairo_arc(cr, size / 2.0, size / 2.0, size * 0.42, 0, 2 * M_PI);
  cairo_stroke(cr);
  cairo_arc(cr, size / 2.0, size / 2.0, size * 0.18, 0, 2 * M_PI);
  cairo_fill(cr);
  cairo_destroy(cr);
  std::string png = SurfaceToPng(surface);
  cairo_surface_destroy(surface);
  return png;
}

}  // namespace tinhso::test
