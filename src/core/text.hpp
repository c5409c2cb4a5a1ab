// Vietnamese text: Unicode normalisation and search keys.
//
// Vietnamese can be written in several byte sequences that look the same: precomposed (NFC,
// what keyboards on Windows and phones send), decomposed (NFD, what macOS file names and some
// PDFs give), and with the tone mark on either vowel of "oa", "oe", "uy" ("hoà"/"hòa",
// "thuỷ"/"thủy": both spellings are in official use). Text is stored in NFC; searches compare
// search keys, which erase all of these differences.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tinhso::core {

/// True when `utf8` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates
/// (U+D800–U+DFFF), nothing above U+10FFFF, no truncated sequences. Call it at every edge where
/// outside bytes come in; the functions below do not fail on bad input.
bool IsValidUtf8(std::string_view utf8);

/// The NFC form of `utf8` (Unicode canonical composition, stable across Unicode versions).
/// Each byte of an invalid sequence becomes U+FFFD, so the result is always valid UTF-8.
/// Tone-mark placement ("hoà" vs "hòa") is left as written: both are correct spellings.
std::string ToNfc(std::string_view utf8);

/// `utf8` with its first letter in lower case, to put a label inside a sentence ("Họ tên trẻ"
/// → "Nhập họ tên trẻ"), unless the first word is an abbreviation ("CCCD", "UBND"): left as it
/// is when its second letter is a capital too.
std::string LowerFirst(std::string_view utf8);

/// A key for matching people's, places' and agencies' names as users type them:
/// lower-case, without tones or vowel marks, "đ"/"Đ" as "d", compatibility forms folded
/// (full-width letters, ligatures), words separated by one ASCII space.
///   "Ủy ban Nhân dân  tỉnh Bắc Kạn" → "uy ban nhan dan tinh bac kan"
///   "hoà", "hòa", NFD "hoa\u0300" → "hoa"
/// Punctuation separates words ("Bà Rịa-Vũng Tàu" → "ba ria vung tau"), except apostrophes,
/// which are dropped so that "K'Bang" and "Kbang" match. Apply the same function to stored
/// names and to queries. Invalid bytes are treated as U+FFFD (a separator).
std::string SearchKey(std::string_view utf8);

/// Text made safe inside HTML, as element content or a quoted attribute value: & < > " ' become
/// entities.
std::string EscapeHtml(std::string_view text);

/// `utf8` without Vietnamese tone and vowel marks, keeping everything else: case, spaces,
/// punctuation and digits; "đ"/"Đ" become "d"/"D". For readers whose devices or channels lack
/// the diacritics (an SMS in GSM-7 holds 160 characters a segment, 70 with them):
///   "Hồ sơ H55.01-250310-0001 đã được tiếp nhận." → "Ho so H55.01-250310-0001 da duoc tiep nhan."
/// Letters of other scripts keep their marks removed as well ("é" → "e"); invalid bytes become
/// U+FFFD.
std::string Unaccented(std::string_view utf8);

/// The code points of `utf8`; each byte of an invalid sequence is U+FFFD.
std::u32string CodePoints(std::string_view utf8);

/// The words of SearchKey(utf8), in order: "Chợ Đồn, Bắc Kạn" → {"cho", "don", "bac", "kan"}.
std::vector<std::string> SearchTokens(std::string_view utf8);

/// How many typing slips separate `typed` from the closest beginning of `word` (both
/// SearchKey words): insertions, deletions, substitutions and swaps of two neighbouring
/// letters each count one; "i" for "y" counts none (kí/ký). 0 when `typed` begins `word`.
/// Anything above `max_edits` returns max_edits + 1, so that a search can stop early:
/// "kahi" → "khai" 1, "sinhh" → "sinh" 1, "ket" → "kethon" 0.
int PrefixEditDistance(std::string_view typed, std::string_view word, int max_edits);

/// The same count against the whole of `word`: "sinhf" → "sinh" 1, but "si" → "sinh" 2.
int EditDistance(std::string_view typed, std::string_view word, int max_edits);

/// A SearchKey word with the keystrokes of the Telex input method removed, for words typed
/// while the Vietnamese keyboard was off: doubled vowels and "dd" ("hoon" → "hon", "ddang" →
/// "dang"), "w" for the horn or breve ("dawng" → "dang"), and a final tone key, since no
/// Vietnamese syllable ends in s, f, r, x or j ("kys" → "ky", "sinhf" → "sinh"). Answers the
/// word unchanged when it holds none of these.
std::string WithoutTelex(std::string_view word);

/// A key under which spellings that sound alike, or that people often confuse, collide: "kh",
/// "c", "k" and "q" at the start; "d", "gi", "r" and "z"; "s" and "x"; "ch" and "tr"; "ngh"
/// and "ng", "gh" and "g", "th" and "t", "nh" and "n", "ph" and "f" at the start; "nh" and
/// "n", "ch" and "c" at the end; "i" and "y". For SearchKey words: "kai" and "khai" → "kai",
/// "dam" and "giam" → "zam". Regional pronunciations (n/l, final n/ng) are left apart: they
/// would join too many words.
std::string SoundAlike(std::string_view word);

/// Whether a SearchKey word could be one Vietnamese syllable as written without marks: an
/// onset ("ngh", "kh", "qu", "b"…, or none), one to three vowels, and a final consonant that
/// Vietnamese allows (c, ch, m, n, ng, nh, p, t) or none. "chao", "nguoi", "quyen" could;
/// "kahi", "sinhh", "dnag", "registration" could not. Spelling rules finer than that
/// ("k" only before e, i, y) are not checked.
bool CouldBeSyllable(std::string_view word);

/// The edits SearchKey-based matching forgives in a typed word of this many letters: none up
/// to three (too many short words are one slip apart), one up to six, two beyond.
int AllowedTypos(std::size_t letters);

}  // namespace tinhso::core
