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

// Draws `lines` top-down from (x, y) within `width`, wrapping words and aligned as `align` says;
// the font shrinks from `size` towards `min_size` until the text fits `height` (below that, it
// is clipped to the box, so that it never reaches what is drawn beside it).
void DrawLines(cairo_t* cr, PangoContext* context, const std::vector<Line>& lines, double x,
               double y, double width, double height, double size, double min_size,
               PangoAlignment align = PANGO_ALIGN_LEFT) {
  cairo_save(cr);
  cairo_rectangle(cr, x, y, width, height);
  cairo_clip(cr);
  for (double s = size;; s -= 0.5) {
    std::vector<std::unique_ptr<PangoLayout, GObjectDeleter>> layouts;
    double total = 0;
    for (const Line& line : lines) {
      std::unique_ptr<PangoLayout, GObjectDeleter> layout(pango_layout_new(context));
      PangoFontDescription* font = pango_font_description_from_string(kSerif);
      pango_font_description_set_size(font, static_cast<gint>(s * PANGO_SCALE));
      pango_font_description_set_weight(font, line.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
      pango_layout_set_font_description(layout.get(), font);
      pango_font_description_free(font);
      pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
      pango_layout_set_alignment(layout.get(), align);
      pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
      pango_layout_set_text(layout.get(), line.text.data(), static_cast<int>(line.text.size()));
      int w = 0;
      int h = 0;
      pango_layout_get_size(layout.get(), &w, &h);
      total += static_cast<double>(h) / PANGO_SCALE;
      layouts.push_back(std::move(layout));
    }
    if (total <= height || s - 0.5 < min_size) {
      double top = y + std::max(0.0, (height - total) / 2);
      for (auto& layout : layouts) {
        cairo_move_to(cr, x, top);
        pango_cairo_show_layout(cr, layout.get());
        int w = 0;
        int h = 0;
        pango_layout_get_size(layout.get(), &w, &h);
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
  double scale = kAppearanceDpi / 72.0;
  if (width * height * scale * scale > kMaxPixels) {
    scale = std::sqrt(kMaxPixels / (width * height));
  }
  const int pixel_width = std::max(1, static_cast<int>(std::ceil(width * scale)));
  const int pixel_height = std::max(1, static_cast<int>(std::ceil(height * scale)));
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pixel_width, pixel_height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return RenderFailed("cannot create a " + std::to_string(pixel_width) + "x" +
                        std::to_string(pixel_height) + " image surface");
  }
  std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));
  cairo_scale(cr.get(), pixel_width / width, pixel_height / height);  // user unit: the point
  // Pango's default font map is per thread, so renders on different threads share nothing.
  std::unique_ptr<PangoContext, GObjectDeleter> context(pango_cairo_create_context(cr.get()));
  pango_cairo_context_set_resolution(context.get(), 72.0);
  if (!FamilyInstalled(context.get())) {
    return RenderFailed("the DejaVu Serif font (fonts-dejavu-core) is missing");
  }
  const std::string time_line = "Thời gian ký: " + std::string(time_text);
  switch (appearance.kind) {
    case AppearanceKind::kInvisible:
      return InternalError("pdf: RenderAppearance called for an invisible signature");
    case AppearanceKind::kSigner: {
      TINHSO_ASSIGN_OR_RETURN(SurfacePtr image, LoadPng(appearance.image_png));
      PaintFitted(cr.get(), image.get(), 0, 0, width, height);
      break;
    }
    case AppearanceKind::kOrganisationSeal: {
      // Cairo's y goes down, the layout's up.
      TINHSO_ASSIGN_OR_RETURN(SurfacePtr image, LoadPng(appearance.image_png));
      const SealLayout layout = LayOutSeal(width, height);
      PaintFitted(cr.get(), image.get(), layout.seal.x1, height - layout.seal.y2,
                  layout.seal.width(), layout.seal.height());
      if (layout.text.width() > 0) {
        cairo_set_source_rgb(cr.get(), 0, 0, 0);
        DrawLines(cr.get(), context.get(),
                  {{Clean(appearance.organisation), true}, {time_line, false}}, layout.text.x1,
                  height - layout.text.y2, layout.text.width(), layout.text.height(), 8, 4,
                  PANGO_ALIGN_RIGHT);
      }
      break;
    }
    case AppearanceKind::kOrganisationText: {
      std::vector<Line> lines{{Clean(appearance.organisation), true}};
      if (!appearance.document_number.empty()) {
        lines.push_back({"Số: " + Clean(appearance.document_number), false});
      }
      lines.push_back({time_line, false});
      cairo_set_source_rgb(cr.get(), 0, 0, 0);
      DrawLines(cr.get(), context.get(), lines, 2, 0, width - 4, height, 10, 6);
      break;
    }
  }
  cairo_surface_flush(surface.get());
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return RenderFailed(cairo_status_to_string(cairo_status(cr.get())));
  }
  AppearancePixels pixels;
  pixels.width = pixel_width;
  pixels.height = pixel_height;
  const auto count = static_cast<std::size_t>(pixel_width) * static_cast<std::size_t>(pixel_height);
  pixels.rgb.resize(count * 3);
  pixels.alpha.resize(count);
  const unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  std::size_t i = 0;
  for (int y = 0; y < pixel_height; ++y) {
    const auto* row =
        reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
    for (int x = 0; x < pixel_width; ++x, ++i) {
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

}  // namespace tinhso::pdf::internal
