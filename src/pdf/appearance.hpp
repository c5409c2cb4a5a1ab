// Internal to src/pdf: draws a visible signature's appearance (NĐ 30/2020 Phụ lục I) into an
// RGBA pixel buffer with Cairo and Pango.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "pdf/pdf.hpp"

namespace tinhso::pdf::internal {

inline constexpr double kAppearanceDpi = 200.0;
inline constexpr int kMaxImageSide = 4096;  // pixels, for the caller's PNG images

// Pixels of an appearance, top row first: RGB (3 bytes a pixel, not premultiplied) and alpha.
struct AppearancePixels {
  int width = 0;
  int height = 0;
  std::string rgb;
  std::string alpha;
};

// Checks that `png` is a PNG whose IHDR size is within kMaxImageSide, before any decoding.
Result<void> CheckPng(std::string_view png);

// Where a kOrganisationSeal appearance of `width` × `height` points puts its parts, in points from
// its bottom-left corner: the seal image in the largest square at the right, vertically centred,
// and the text in the room left of it (empty when less than 20 points wide). The two never meet.
struct SealLayout {
  Rect seal;
  Rect text;
};
SealLayout LayOutSeal(double width, double height);

// Draws `appearance` for a box of `width` × `height` points as displayed (already swapped for a
// page rotated by 90 or 270). `time_text` is the signing time as printed.
Result<AppearancePixels> RenderAppearance(const Appearance& appearance, double width, double height,
                                          std::string_view time_text);

// A form field's value as a widget shows it.
struct FieldText {
  std::string text;           // UTF-8
  double font_size = 0;       // from /DA; 0: as large as fits
  int quadding = 0;           // /Q: 0 left, 1 centred, 2 right
  bool multiline = false;     // /Ff bit 13: wrapped, from the top, line breaks kept
  double rgb[3] = {0, 0, 0};  // from /DA's g or rg
};

// Draws `field`'s value for a widget of `width` × `height` points as displayed.
Result<AppearancePixels> RenderFieldValue(const FieldText& field, double width, double height);

}  // namespace tinhso::pdf::internal
