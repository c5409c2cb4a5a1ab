// Small PNG images for tests that draw signatures: a blue signature stroke and a red seal.
#pragma once

#include <string>

namespace tinhso::test {

// A PNG of `width` × `height` pixels, transparent, with a thick blue stroke (a signature).
std::string SignaturePng(int width, int height);
// A PNG of `size` × `size` pixels: a red ring around a filled disc (a seal).
std::string SealPng(int size);

}  // namespace tinhso::test
