// Shared inside src/notify; not part of its public header.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "notify/notify.hpp"

namespace tinhso::notify::internal {

struct DefaultText {
  std::string_view event_key;
  Channel channel;  // kEmail or kSms
  Language language;
  std::string_view subject;
  std::string_view body;
};
const std::vector<DefaultText>& DefaultTexts();

// The built-in template (in-app made from the e-mail's subject and the SMS's body), if any.
std::optional<Template> DefaultTemplate(std::string_view event_key, Channel channel,
                                        Language language);

}  // namespace tinhso::notify::internal
