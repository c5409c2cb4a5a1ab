// The procedure search: how a citizen's words find a procedure (see search.hpp for the rules).

#include "catalog/search.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <utility>

#include "core/text.hpp"

namespace tinhso::catalog::internal {
namespace {

// Words people put around what they look for ("tôi muốn làm giấy khai sinh cho con", "how to
// get a …"), as SearchKey words. They need not match, and only break ties when they do: some
// are in procedure names too ("giấy", "con", "cho"), where they tell nothing apart. Words that
// name things in the catalog ("hộ", "sổ", "bản", "chi", "dược") are not here, whatever else
// they also mean.
constexpr std::string_view kSmallTalk[] = {
    "a",   "an",  "anh", "apply", "can",  "cho", "con", "dau",    "de",   "do",
    "em",  "for", "get", "gi",    "giay", "how", "i",   "lam",    "minh", "muon",
    "my",  "nao", "nhe", "nhu",   "nop",  "o",   "of",  "online", "phai", "the",
    "thi", "thu", "to",  "toi",   "tuc",  "va",  "voi", "xin"};

bool IsSmallTalk(std::string_view word) {
  return std::ranges::find(kSmallTalk, word) != std::end(kSmallTalk);
}

std::string Trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

bool LooksLikeCode(std::string_view q) {
  if (q.empty()) return false;
  for (char c : q) {
    if ((c < '0' || c > '9') && c != '.') return false;
  }
  return true;
}

constexpr int kNoMatch = 127;

// The letter's bit in a set of letters; "i" and "y" are one (core's slips treat them alike).
std::uint64_t LetterBit(char c) {
  if (c == 'y') c = 'i';
  if (c >= 'a' && c <= 'z') return std::uint64_t{1} << (c - 'a');
  if (c >= '0' && c <= '9') return std::uint64_t{1} << (26 + (c - '0'));
  return std::uint64_t{1} << 63;
}

std::uint64_t Letters(std::string_view word) {
  std::uint64_t set = 0;
  for (char c : word) set |= LetterBit(c);
  return set;
}

// Typed letters that `word` does not hold at all: each costs a slip, so more than the slips
// allowed rule the word out without filling the edit table.
int Missing(std::string_view typed, std::uint64_t word_letters) {
  int missing = 0;
  for (char c : typed) missing += (LetterBit(c) & word_letters) == 0 ? 1 : 0;
  return missing;
}

// One word of the query, with the forms it may be forgiven as.
struct QueryWord {
  std::string text;
  std::string telex;  // core::WithoutTelex, or empty when the same
  std::string sound;
  std::string telex_sound;
  int allowed = 0;
  bool last = false;  // may be the beginning of a word: the user is still typing
  bool small_talk = false;

  explicit QueryWord(std::string word, bool is_last)
      : text(std::move(word)),
        // A word that is a Vietnamese syllable as typed is taken as meant: changing a letter
        // of one mostly gives another ("chào" → "chấp", "chấm"), so slips would find what the
        // user did not ask for. Sound-alikes and Telex still apply.
        allowed(core::CouldBeSyllable(text) ? 0 : core::AllowedTypos(text.size())),
        last(is_last),
        small_talk(IsSmallTalk(text)) {
    // One letter sounds like too much ("d" like "r"), and has no keystrokes to remove.
    if (text.size() < 2) return;
    sound = core::SoundAlike(text);
    if (std::string t = core::WithoutTelex(text); t != text && !t.empty()) {
      telex = std::move(t);
      telex_sound = core::SoundAlike(telex);
    }
  }

  // The slips forgiven to match `word`: 0 as typed, else the edits, 1 for Telex keystrokes or
  // a sound-alike spelling; kNoMatch beyond what is forgiven.
  int Cost(std::string_view word, std::string_view word_sound, std::uint64_t word_letters) const {
    const auto distance = [&](std::string_view typed, int max) {
      // Lengths and letters alone tell most words apart before the table is filled.
      if (typed.size() > word.size() + static_cast<std::size_t>(max)) return max + 1;
      if (!last && word.size() > typed.size() + static_cast<std::size_t>(max)) return max + 1;
      if (Missing(typed, word_letters) > max) return max + 1;
      return last ? core::PrefixEditDistance(typed, word, max)
                  : core::EditDistance(typed, word, max);
    };
    int cost = distance(text, allowed);
    if (cost == 0) return 0;
    if (cost > allowed) cost = kNoMatch;
    if (!telex.empty() && distance(telex, 0) == 0) return 1;
    if (!sound.empty() && (sound == word_sound || (!telex.empty() && telex_sound == word_sound))) {
      return 1;
    }
    return cost;
  }
};

// How one procedure answers the query; compared best first.
struct Score {
  int matched = 0;  // query words (not small talk) matched
  int slips = 0;    // forgiven, over the matched words
  int in_name = 0;  // query words found in the name
  int name_words = 0;
  int small_talk = 0;  // small-talk words matched
  std::size_t position = 0;

  bool operator<(const Score& o) const {
    if (matched != o.matched) return matched > o.matched;
    if (slips != o.slips) return slips < o.slips;
    if (in_name != o.in_name) return in_name > o.in_name;
    if (name_words != o.name_words) return name_words < o.name_words;
    if (small_talk != o.small_talk) return small_talk > o.small_talk;
    return position < o.position;
  }
};

}  // namespace

SearchIndex::SearchIndex(const std::vector<const Procedure*>& procedures,
                         const std::vector<Sector>& sectors) {
  std::map<std::string, std::uint32_t, std::less<>> known;
  const auto word_id = [&](std::string text, std::string sound) {
    auto [it, inserted] = known.try_emplace(text, static_cast<std::uint32_t>(words_.size()));
    if (inserted) {
      const std::uint64_t letters = Letters(text);
      words_.push_back({std::move(text), std::move(sound), letters});
    }
    return it->second;
  };
  items_.reserve(procedures.size());
  for (const Procedure* p : procedures) {
    Item item{.code = p->code, .entries = {}, .name_words = 0};
    std::map<std::uint32_t, bool> entries;  // word → found in the name
    const auto add = [&](std::uint32_t id, bool in_name) { entries[id] = entries[id] || in_name; };
    const std::vector<std::string> name = core::SearchTokens(p->name);
    item.name_words = static_cast<int>(name.size());
    for (std::size_t i = 0; i < name.size(); ++i) {
      add(word_id(name[i], core::SoundAlike(name[i])), true);
      // Two neighbouring words as one, for "khaisinh": people leave out the space.
      if (i + 1 < name.size()) {
        add(word_id(name[i] + name[i + 1],
                    core::SoundAlike(name[i]) + core::SoundAlike(name[i + 1])),
            true);
      }
    }
    for (const std::string& w : core::SearchTokens(p->name_en)) {
      add(word_id(w, core::SoundAlike(w)), true);
    }
    std::string other =
        p->field_name + " " + (p->level == "commune" ? "cấp xã commune" : "cấp tỉnh province");
    for (const Sector& s : sectors) {
      if (s.code == p->competent.sector) other += " " + s.name + " " + s.name_en;
    }
    for (const std::string& w : core::SearchTokens(other)) {
      add(word_id(w, core::SoundAlike(w)), false);
    }
    item.entries.reserve(entries.size());
    for (const auto& [id, in_name] : entries) item.entries.push_back({id, in_name});
    items_.push_back(std::move(item));
  }
}

std::vector<std::size_t> SearchIndex::Rank(std::string_view query,
                                           const std::function<bool(std::size_t)>& eligible) const {
  std::vector<std::size_t> out;
  const std::string q = Trimmed(core::ToNfc(query));
  if (LooksLikeCode(q)) {
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (eligible(i) && items_[i].code.starts_with(q)) out.push_back(i);
    }
    return out;
  }
  const std::vector<std::string> tokens = core::SearchTokens(q);
  if (tokens.empty()) {
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (eligible(i)) out.push_back(i);
    }
    return out;
  }
  std::vector<QueryWord> words;
  words.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i)
    words.emplace_back(tokens[i], i + 1 == tokens.size());
  // A query of small talk only ("giấy", "cho con") is what the user looks for.
  if (std::all_of(words.begin(), words.end(), [](const QueryWord& w) { return w.small_talk; })) {
    for (QueryWord& w : words) w.small_talk = false;
  }
  const int content = static_cast<int>(
      std::count_if(words.begin(), words.end(), [](const QueryWord& w) { return !w.small_talk; }));
  const int needed = content <= 2 ? content : (content + 1) / 2;

  // Each query word against each word of the catalog once, not once per procedure.
  std::vector<std::vector<std::int8_t>> costs(words.size());
  for (std::size_t t = 0; t < words.size(); ++t) {
    costs[t].resize(words_.size());
    for (std::size_t w = 0; w < words_.size(); ++w) {
      costs[t][w] = static_cast<std::int8_t>(
          words[t].Cost(words_[w].text, words_[w].sound, words_[w].letters));
    }
  }

  std::vector<Score> scores;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (!eligible(i)) continue;
    const Item& item = items_[i];
    Score score{.name_words = item.name_words, .position = i};
    for (std::size_t t = 0; t < words.size(); ++t) {
      int best = kNoMatch;
      bool in_name = false;
      for (const Entry& e : item.entries) {
        const int c = costs[t][e.word];
        best = std::min(best, c);
        in_name = in_name || (e.in_name && c != kNoMatch);
      }
      if (best == kNoMatch) continue;
      if (words[t].small_talk) {
        ++score.small_talk;
        continue;
      }
      ++score.matched;
      score.slips += best;
      score.in_name += in_name ? 1 : 0;
    }
    if (score.matched > 0 && score.matched >= needed) scores.push_back(score);
  }
  std::sort(scores.begin(), scores.end());
  // Only the best matches: the most words, with the fewest slips. A word forgiven finds
  // unrelated procedures too ("sinh" is one slip from "sing(le)"), and a sentence's words find
  // a little of everything.
  for (const Score& s : scores) {
    if (s.matched != scores.front().matched || s.slips != scores.front().slips) break;
    out.push_back(s.position);
  }
  return out;
}

}  // namespace tinhso::catalog::internal
