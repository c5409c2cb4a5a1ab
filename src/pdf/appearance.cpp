#include "pdf/appearance.hpp"

#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "core/text.hpp"
#include "pdf/errors.hpp"

namespace tinhso::pdf::internal {
namespace {

// Times New Roman is what NĐ 30/2020 names; Liberation Serif has its metrics where installed,
// DejaVu Serif (always installed with tinhso, checked below) otherwise.
constexpr const char* kSerif = "Liberation Serif,DejaVu Serif";
// Form fields name Helvetica (/Helv) in their /DA nearly always.
constexpr const char* kSans = "Liberation Sans,DejaVu Sans";
constexpr const char* kRequiredFamily = "DejaVu Serif";
constexpr double kMaxPixels = 8e6;

struct SurfaceDeleter {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct GObjectDeleter {
  void operator()(void* object) const { g_object_unref(object); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;

struct PngReader {
  std::string_view data;
  std::size_t pos = 0;
};

cairo_status_t ReadPng(void* closure, unsigned char* out, unsigned int length) {
  auto* reader = static_cast<PngReader*>(closure);
  if (reader->data.size() - reader->pos < length) {
    return CAIRO_STATUS_READ_ERROR;
  }
  std::copy_n(reader->data.data() + reader->pos, length, out);
  reader->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

Result<SurfacePtr> LoadPng(std::string_view png) {
  TINHSO_RETURN_IF_ERROR(CheckPng(png));
  PngReader reader{png, 0};
  SurfacePtr image(cairo_image_surface_create_from_png_stream(ReadPng, &reader));
  if (cairo_surface_status(image.get()) != CAIRO_STATUS_SUCCESS) {
    return InvalidRequest("Không đọc được ảnh PNG của chữ ký hoặc con dấu",
                          "the signature or seal PNG image cannot be read");
  }
  return image;
}

// Paints `image` as large as fits in the box, keeping its proportions, centred.
void PaintFitted(cairo_t* cr, cairo_surface_t* image, double x, double y, double width,
                 double height) {
  const int image_width = cairo_image_surface_get_width(image);
  const int image_height = cairo_image_surface_get_height(image);
  if (image_width <= 0 || image_height <= 0 || width <= 0 || height <= 0) {
    return;
  }
  const double scale = std::min(width / image_width, height / image_height);
  cairo_save(cr);
  cairo_translate(cr, x + (width - image_width * scale) / 2,
                  y + (height - image_height * scale) / 2);
  cairo_scale(cr, scale, scale);
  cairo_set_source_surface(cr, image, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BEST);
  cairo_paint(cr);
  cairo_restore(cr);
}

bool FamilyInstalled(PangoContext* context) {
  PangoFontDescription* description = pango_font_description_from_string(kRequiredFamily);
  PangoFont* font = pango_context_load_font(context, description);
  pango_font_description_free(description);
  if (font == nullptr) {
    return false;
  }
  PangoFontDescription* loaded = pango_font_describe(font);
  const char* family = pango_font_description_get_family(loaded);
  const bool same = family != nullptr && std::string_view(family) == kRequiredFamily;
  pango_font_description_free(loaded);
  g_object_unref(font);
  return same;
}

struct Line {
  std::string text;
  bool bold = false;
};

struct TextStyle {
  const char* family = kSerif;
  PangoAlignment align = PANGO_ALIGN_LEFT;
  bool wrap = true;     // else each line stays one line (and may be cut at the box's edge)
  bool centred = true;  // vertically; else from the top
};

// Draws `lines` top-down from (x, y) within `width`, wrapping words; the font shrinks from
// `size` towards `min_size` until the text fits `height` (below that, it is clipped).
void DrawLines(cairo_t* cr, PangoContext* context, const std::vector<Line>& lines, double x,
               double y, double width, double height, double size, double min_size,
               const TextStyle& style = {}) {
  cairo_save(cr);
  cairo_rectangle(cr, x, y, width, height);
  cairo_clip(cr);
  for (double s = size;; s -= 0.5) {
    std::vector<std::unique_ptr<PangoLayout, GObjectDeleter>> layouts;
    double total = 0;
    for (const Line& line : lines) {
      std::unique_ptr<PangoLayout, GObjectDeleter> layout(pango_layout_new(context));
      PangoFontDescription* font = pango_font_description_from_string(style.family);
      pango_font_description_set_size(font, static_cast<gint>(s * PANGO_SCALE));
      pango_font_description_set_weight(font, line.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
      pango_layout_set_font_description(layout.get(), font);
      pango_font_description_free(font);
      if (style.wrap) {
        pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
        pango_layout_set_alignment(layout.get(), style.align);
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
      } else {
        pango_layout_set_single_paragraph_mode(layout.get(), TRUE);
      }
      pango_layout_set_text(layout.get(), line.text.data(), static_cast<int>(line.text.size()));
      int w = 0;
      int h = 0;
      pango_layout_get_size(layout.get(), &w, &h);
      total += static_cast<double>(h) / PANGO_SCALE;
      layouts.push_back(std::move(layout));
    }
    if (total <= height || s - 0.5 < min_size) {
      double top = y + (style.centred ? std::max(0.0, (height - total) / 2) : 0.0);
      for (auto& layout : layouts) {
        int w = 0;
        int h = 0;
        pango_layout_get_size(layout.get(), &w, &h);
        double left = x;  // a wrapped layout aligns itself within `width`
        if (!style.wrap && style.align != PANGO_ALIGN_LEFT) {
          const double room = width - static_cast<double>(w) / PANGO_SCALE;
          left += style.align == PANGO_ALIGN_RIGHT ? room : room / 2;
        }
        cairo_move_to(cr, left, top);
        pango_cairo_show_layout(cr, layout.get());
        top += static_cast<double>(h) / PANGO_SCALE;
      }
      cairo_restore(cr);
      return;
    }
  }
}

// Control characters mean nothing on a stamp; Pango would draw boxes for them.
std::string Clean(std::string_view text) {
  std::string clean;
  for (char c : core::ToNfc(text)) {
    if (static_cast<unsigned char>(c) >= 0x20) {
      clean += c;
    }
  }
  return clean;
}

}  // namespace

Result<void> CheckPng(std::string_view png) {
  static constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
  if (png.size() < 33 || png.substr(0, 8) != kSignature || png.substr(12, 4) != "IHDR") {
    return InvalidRequest("Ảnh chữ ký hoặc con dấu phải là tệp PNG",
                          "the signature or seal image must be a PNG file");
  }
  auto be32 = [&png](std::size_t at) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(png[at])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(png[at + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(png[at + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(png[at + 3]));
  };
  const std::uint32_t width = be32(16);
  const std::uint32_t height = be32(20);
  if (width == 0 || height == 0 || width > kMaxImageSide || height > kMaxImageSide) {
    return InvalidRequest("Ảnh chữ ký hoặc con dấu quá lớn (tối đa 4096 × 4096 điểm ảnh)",
                          "the signature or seal image is too large (at most 4096 × 4096 pixels)");
  }
  return Ok();
}

namespace {

// A transparent canvas of `width` × `height` points at kAppearanceDpi (less for huge boxes), its
// user unit the point, with a Pango context whose fonts are checked.
struct Canvas {
  SurfacePtr surface;
  std::unique_ptr<cairo_t, CairoDeleter> cr;
  std::unique_ptr<PangoContext, GObjectDeleter> context;
  int pixel_width = 0;
  int pixel_height = 0;
};

Result<Canvas> NewCanvas(double width, double height) {
  double scale = kAppearanceDpi / 72.0;
  if (width * height * scale * scale > kMaxPixels) {
    scale = std::sqrt(kMaxPixels / (width * height));
  }
  Canvas canvas;
  canvas.pixel_width = std::max(1, static_cast<int>(std::ceil(width * scale)));
  canvas.pixel_height = std::max(1, static_cast<int>(std::ceil(height * scale)));
  canvas.surface.reset(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, canvas.pixel_width, canvas.pixel_height));
  if (cairo_surface_status(canvas.surface.get()) != CAIRO_STATUS_SUCCESS) {
    return RenderFailed("cannot create a " + std::to_string(canvas.pixel_width) + "x" +
                        std::to_string(canvas.pixel_height) + " image surface");
  }
  canvas.cr.reset(cairo_create(canvas.surface.get()));
  cairo_scale(canvas.cr.get(), canvas.pixel_width / width, canvas.pixel_height / height);
  // Pango's default font map is per thread, so renders on different threads share nothing.
  canvas.context.reset(pango_cairo_create_context(canvas.cr.get()));
  pango_cairo_context_set_resolution(canvas.context.get(), 72.0);
  if (!FamilyInstalled(canvas.context.get())) {
    return RenderFailed("the DejaVu Serif font (fonts-dejavu-core) is missing");
  }
  return canvas;
}

Result<AppearancePixels> PixelsOf(Canvas& canvas) {
  cairo_surface_flush(canvas.surface.get());
  if (cairo_status(canvas.cr.get()) != CAIRO_STATUS_SUCCESS) {
    return RenderFailed(cairo_status_to_string(cairo_status(canvas.cr.get())));
  }
  AppearancePixels pixels;
  pixels.width = canvas.pixel_width;
  pixels.height = canvas.pixel_height;
  const auto count =
      static_cast<std::size_t>(pixels.width) * static_cast<std::size_t>(pixels.height);
  pixels.rgb.resize(count * 3);
  pixels.alpha.resize(count);
  const unsigned char* data = cairo_image_surface_get_data(canvas.surface.get());
  const int stride = cairo_image_surface_get_stride(canvas.surface.get());
  std::size_t i = 0;
  for (int y = 0; y < pixels.height; ++y) {
    const auto* row =
        reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
    for (int x = 0; x < pixels.width; ++x, ++i) {
      // CAIRO_FORMAT_ARGB32: native-endian words, premultiplied alpha.
      const std::uint32_t p = row[x];
      const std::uint32_t a = p >> 24;
      auto channel = [a](std::uint32_t c) {
        return static_cast<char>(a == 0 ? 0 : std::min<std::uint32_t>(255, (c * 255 + a / 2) / a));
      };
      pixels.rgb[i * 3] = channel((p >> 16) & 0xff);
      pixels.rgb[i * 3 + 1] = channel((p >> 8) & 0xff);
      pixels.rgb[i * 3 + 2] = channel(p & 0xff);
      pixels.alpha[i] = static_cast<char>(a);
    }
  }
  return pixels;
}

}  // namespace

SealLayout LayOutSeal(double width, double height) {
  SealLayout layout;
  const double side = std::min(width, height);
  layout.seal = Rect{width - side, (height - side) / 2, width, (height + side) / 2};
  // A gap of 2 points between the text and the seal; the text is clipped to its own box.
  if (width - side - 2 >= 20) {
    layout.text = Rect{0, 0, width - side - 2, height};
  }
  return layout;
}

Result<AppearancePixels> RenderAppearance(const Appearance& appearance, double width, double height,
                                          std::string_view time_text) {
  TINHSO_ASSIGN_OR_RETURN(Canvas canvas, NewCanvas(width, height));
  cairo_t* cr = canvas.cr.get();
  const std::string time_line = "Thời gian ký: " + std::string(time_text);
  switch (appearance.kind) {
    case AppearanceKind::kInvisible:
      return InternalError("pdf: RenderAppearance called for an invisible signature");
    case AppearanceKind::kSigner: {
      TINHSO_ASSIGN_OR_RETURN(SurfacePtr image, LoadPng(appearance.image_png));
      PaintFitted(cr, image.get(), 0, 0, width, height);
      break;
    }
    case AppearanceKind::kOrganisationSeal: {
      // Cairo's y goes down, the layout's up.
      TINHSO_ASSIGN_OR_RETURN(SurfacePtr image, LoadPng(appearance.image_png));
      const SealLayout layout = LayOutSeal(width, height);
      PaintFitted(cr, image.get(), layout.seal.x1, height - layout.seal.y2, layout.seal.width(),
                  layout.seal.height());
      if (layout.text.width() > 0) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        TextStyle style;
        style.align = PANGO_ALIGN_RIGHT;
        DrawLines(cr, canvas.context.get(),
                  {{Clean(appearance.organisation), true}, {time_line, false}}, layout.text.x1,
                  height - layout.text.y2, layout.text.width(), layout.text.height(), 8, 4, style);
      }
      break;
    }
    case AppearanceKind::kOrganisationText: {
      std::vector<Line> lines{{Clean(appearance.organisation), true}};
      if (!appearance.document_number.empty()) {
        lines.push_back({"Số: " + Clean(appearance.document_number), false});
      }
      lines.push_back({time_line, false});
      cairo_set_source_rgb(cr, 0, 0, 0);
      DrawLines(cr, canvas.context.get(), lines, 2, 0, width - 4, height, 10, 6);
      break;
    }
  }
  return PixelsOf(canvas);
}

Result<AppearancePixels> RenderFieldValue(const FieldText& field, double width, double height) {
  TINHSO_ASSIGN_OR_RETURN(Canvas canvas, NewCanvas(width, height));
  const double padding = 2;
  if (!field.text.empty() && width > 2 * padding && height > 2 * padding) {
    TextStyle style;
    style.family = kSans;
    style.align = field.quadding == 1   ? PANGO_ALIGN_CENTER
                  : field.quadding == 2 ? PANGO_ALIGN_RIGHT
                                        : PANGO_ALIGN_LEFT;
    style.wrap = field.multiline;
    style.centred = !field.multiline;
    // Size 0 is "auto": as large as fits, 12 points at most, as viewers do.
    const double size = field.font_size > 0 ? field.font_size : 12;
    const double min_size = field.font_size > 0 ? field.font_size : 4;
    std::vector<Line> lines;
    std::string_view rest = field.text;
    while (true) {  // a single-line field shows its value on one line; a multiline one keeps its
                    // line breaks
      const std::size_t end = field.multiline ? rest.find_first_of("\r\n") : std::string::npos;
      lines.push_back({Clean(rest.substr(0, end)), false});
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + (rest.substr(end, 2) == "\r\n" ? 2 : 1));
    }
    cairo_set_source_rgb(canvas.cr.get(), field.rgb[0], field.rgb[1], field.rgb[2]);
    DrawLines(canvas.cr.get(), canvas.context.get(), lines, padding, padding, width - 2 * padding,
              height - 2 * padding, size, min_size, style);
  }
  return PixelsOf(canvas);
}

}  // namespace tinhso::pdf::internal
