// Internal to the catalog module: the procedure search behind Service::List. Pure: an index
// built once per in-memory snapshot, and a ranking of one query against it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"

namespace tinhso::catalog::internal {

/// What the search knows of the catalog, built when a snapshot is loaded so that a query only
/// compares its own words: every distinct word once (with its sound-alike key), and for each
/// procedure the words it can be found by.
class SearchIndex {
 public:
  SearchIndex() = default;
  /// `procedures` in the order Rank answers positions in; `sectors` name the competent
  /// departments.
  SearchIndex(const std::vector<const Procedure*>& procedures, const std::vector<Sector>& sectors);

  /// Positions (into the constructor's list) of the procedures that answer `query`, best first,
  /// among those `eligible` accepts. Rules (Service::List's documentation says them for users):
  /// - the query's words are SearchKey words; small talk ("tôi muốn làm giấy … cho con") is not
  ///   required to match and only breaks ties;
  /// - a word matches a word of the procedure as typed (the last word may be a beginning: the
  ///   user is still typing), or forgiven: one slip per edit (core::AllowedTypos) in a word
  ///   that cannot be a Vietnamese syllable as typed (core::CouldBeSyllable: "kahi", not
  ///   "chao"), one for Telex keystrokes left in or a sound-alike spelling (core::SoundAlike);
  ///   two words typed glued ("khaisinh") match two neighbouring words of the name;
  /// - a procedure must match most of the words (all of one or two, half of more); only those
  ///   that match the most words are answered, and of them only those with the fewest slips, so
  ///   that forgiving finds what nothing matches as typed without burying what does;
  /// - then words found in the name (Vietnamese or English) before other fields (field, level,
  ///   competent department), shorter names first, more small-talk words matched, then code.
  /// A query that is a code or its beginning ("1.00") matches codes only, in code order. An
  /// empty query answers every eligible procedure in the constructor's order.
  std::vector<std::size_t> Rank(std::string_view query,
                                const std::function<bool(std::size_t)>& eligible) const;

 private:
  struct Word {
    std::string text;           // a SearchKey word, or two glued
    std::string sound;          // core::SoundAlike of it (of each half, glued)
    std::uint64_t letters = 0;  // which letters it holds, to rule words out before comparing
  };
  struct Entry {
    std::uint32_t word = 0;  // into words_
    bool in_name = false;    // the Vietnamese or English name, not another field
  };
  struct Item {
    std::string code;
    std::vector<Entry> entries;
    int name_words = 0;
  };
  std::vector<Word> words_;
  std::vector<Item> items_;
};

}  // namespace tinhso::catalog::internal
