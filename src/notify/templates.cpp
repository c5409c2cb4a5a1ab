// Names, placeholder rendering, template checks and SMS sizes: pure functions, no I/O.
#include <set>

#include "core/text.hpp"
#include "notify/internal.hpp"
#include "notify/notify.hpp"

namespace tinhso::notify {
namespace {

constexpr std::string_view kChannelNames[] = {"email", "sms", "inapp"};
constexpr std::string_view kLanguageNames[] = {"vi", "en"};
constexpr std::string_view kStatusNames[] = {"queued", "sending", "sent",      "delivered",
                                             "failed", "bounced", "suppressed"};

template <typename E, std::size_t N>
std::optional<E> ParseName(std::string_view name, const std::string_view (&names)[N]) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

Error BadPlaceholder(std::string_view text) {
  return MakeError(ErrorCode::kInvalidArgument, "notify.bad_placeholder",
                   "Mẫu có \"{{\" không được đóng bằng \"}}\".",
                   "The template has a \"{{\" without its closing \"}}\".", std::string(text));
}

Error UnknownPlaceholder(std::string_view name) {
  return MakeError(ErrorCode::kInvalidArgument, "notify.unknown_placeholder",
                   "Mẫu dùng biến không có: {{" + std::string(name) + "}}.",
                   "The template uses an unknown placeholder: {{" + std::string(name) + "}}.");
}

// Calls on_text for literal text and on_name for each placeholder's trimmed name, in order.
template <typename OnText, typename OnName>
Result<void> Scan(std::string_view text, OnText on_text, OnName on_name) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      on_text(text.substr(pos));
      break;
    }
    on_text(text.substr(pos, open - pos));
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return BadPlaceholder(text.substr(open));
    std::string_view name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    TINHSO_RETURN_IF_ERROR(on_name(name));
    pos = close + 2;
  }
  return Ok();
}

}  // namespace

std::string_view ChannelName(Channel channel) { return kChannelNames[static_cast<int>(channel)]; }
std::string_view LanguageName(Language language) {
  return kLanguageNames[static_cast<int>(language)];
}
std::string_view StatusName(Status status) { return kStatusNames[static_cast<int>(status)]; }
std::optional<Channel> ParseChannel(std::string_view name) {
  return ParseName<Channel>(name, kChannelNames);
}
std::optional<Language> ParseLanguage(std::string_view name) {
  return ParseName<Language>(name, kLanguageNames);
}
std::optional<Status> ParseStatus(std::string_view name) {
  return ParseName<Status>(name, kStatusNames);
}

std::string StableId(std::int64_t id) { return "notification-" + std::to_string(id); }

Result<std::string> Render(std::string_view text,
                           const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(text.size() + 64);
  TINHSO_RETURN_IF_ERROR(Scan(
      text, [&](std::string_view literal) { out += literal; },
      [&](std::string_view name) -> Result<void> {
        auto it = values.find(std::string(name));
        if (it == values.end()) return UnknownPlaceholder(name);
        out += it->second;
        return Ok();
      }));
  return out;
}

Result<void> Validate(const Template& t) {
  const EventKind* kind = FindEventKind(t.event_key);
  if (kind == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "notify.unknown_event",
                     "Không có sự kiện thông báo '" + t.event_key + "'.",
                     "There is no notification event '" + t.event_key + "'.");
  }
  if (t.body.find_first_not_of(" \t\r\n") == std::string::npos ||
      (t.channel == Channel::kEmail &&
       t.subject.find_first_not_of(" \t\r\n") == std::string::npos)) {
    return MakeError(ErrorCode::kInvalidArgument, "notify.template_empty",
                     "Mẫu cần có nội dung (và tiêu đề, với thư điện tử).",
                     "A template needs a body (and a subject, for an e-mail).");
  }
  const auto known = [kind](std::string_view name) -> Result<void> {
    for (std::string_view p : kind->placeholders) {
      if (p == name) return Ok();
    }
    return UnknownPlaceholder(name);
  };
  const auto skip = [](std::string_view) {};
  TINHSO_RETURN_IF_ERROR(Scan(t.subject, skip, known));
  TINHSO_RETURN_IF_ERROR(Scan(t.body, skip, known));
  TINHSO_RETURN_IF_ERROR(Scan(t.body_unaccented, skip, known));
  if (core::Unaccented(t.body_unaccented) != t.body_unaccented) {
    return MakeError(ErrorCode::kInvalidArgument, "notify.unaccented_has_diacritics",
                     "Bản không dấu của tin nhắn còn chữ có dấu.",
                     "The unaccented SMS variant still has diacritics.");
  }
  return Ok();
}

// ---- SMS sizes ---------------------------------------------------------------------------------

namespace {

// GSM 03.38: the default alphabet (one septet) and its extension table (escape + one septet).
constexpr std::u32string_view kGsmBasic =
    U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    U"ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
constexpr std::u32string_view kGsmExtension = U"\f^{}\\[~]|€";

int Segments(int units, int single, int concatenated) {
  if (units <= single) return 1;
  return (units + concatenated - 1) / concatenated;
}

}  // namespace

SmsSize MeasureSms(std::string_view utf8, std::int64_t cost_per_segment) {
  const std::u32string text = core::CodePoints(core::ToNfc(utf8));
  SmsSize size;
  int septets = 0;
  int utf16 = 0;
  bool gsm = true;
  for (char32_t c : text) {
    utf16 += c > 0xFFFF ? 2 : 1;
    if (kGsmBasic.find(c) != std::u32string_view::npos) {
      septets += 1;
    } else if (kGsmExtension.find(c) != std::u32string_view::npos) {
      septets += 2;
    } else {
      gsm = false;
    }
  }
  if (gsm) {
    size.encoding = SmsEncoding::kGsm7;
    size.units = septets;
    size.segments = Segments(septets, 160, 153);
  } else {
    size.encoding = SmsEncoding::kUcs2;
    size.units = utf16;
    size.segments = Segments(utf16, 70, 67);
  }
  size.cost = size.segments * cost_per_segment;
  return size;
}

namespace internal {

std::optional<Template> DefaultTemplate(std::string_view event_key, Channel channel,
                                        Language language) {
  const DefaultText* email = nullptr;
  const DefaultText* sms = nullptr;
  for (const DefaultText& d : DefaultTexts()) {
    if (d.event_key != event_key || d.language != language) continue;
    (d.channel == Channel::kEmail ? email : sms) = &d;
  }
  if (email == nullptr || sms == nullptr) return std::nullopt;
  Template t;
  t.event_key = std::string(event_key);
  t.channel = channel;
  t.language = language;
  switch (channel) {
    case Channel::kEmail:
      t.subject = std::string(email->subject);
      t.body = std::string(email->body);
      break;
    case Channel::kSms:
      t.body = std::string(sms->body);
      break;
    case Channel::kInApp:
      t.subject = std::string(email->subject);
      t.body = std::string(sms->body);
      break;
  }
  return t;
}

}  // namespace internal
}  // namespace tinhso::notify
