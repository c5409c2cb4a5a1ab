// The templates' built-in defaults, the events they serve, placeholder rendering, and the
// SMS size rules.
#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "notify/internal.hpp"
#include "notify/notify.hpp"

namespace tinhso::notify {

const std::vector<EventKind>& EventKinds() {
  static const std::vector<EventKind> kinds = {
      {"submission_received",
       "Đã nhận hồ sơ",
       "Application received",
       {"name", "reference", "procedure", "lookup_url"}},
      {"accepted",
       "Hồ sơ được tiếp nhận",
       "Application accepted",
       {"name", "code", "procedure", "appointment_date"}},
      {"supplement_requested",
       "Yêu cầu bổ sung hồ sơ",
       "More documents requested",
       {"name", "code", "what", "deadline"}},
      {"fees_requested",
       "Đề nghị nộp phí, lệ phí",
       "Fees requested",
       {"name", "code", "amount", "how_to_pay"}},
      {"result_ready", "Đã có kết quả", "Result ready", {"name", "code", "how_to_get"}},
      {"apology",
       "Thư xin lỗi, hẹn lại ngày trả kết quả",
       "Apology with a new date",
       {"name", "code", "new_date", "reason"}},
      {"rejected",
       "Hồ sơ không được giải quyết",
       "Application refused",
       {"name", "code", "reason"}},
      {"officer_new_work",
       "Cán bộ: hồ sơ mới trong hàng đợi",
       "Officer: new work in the queue",
       {"name", "code", "procedure"},
       true},
      {"officer_due_soon",
       "Cán bộ: hồ sơ sắp quá hạn",
       "Officer: application about to be late",
       {"name", "code", "deadline"},
       true},
      {"password_reset",
       "Cán bộ, quản trị: liên kết đặt lại mật khẩu",
       "Officers, administrators: password reset link",
       {"name", "login", "link", "minutes"},
       true},
      {"gateway_error_rate",
       "Quản trị: dịch vụ qua nền tảng tích hợp lỗi nhiều",
       "Administrators: a service behind the gateway is failing",
       {"name", "service", "percent", "threshold", "calls", "since"},
       true},
      {"gateway_latency",
       "Quản trị: dịch vụ qua nền tảng tích hợp trả lời chậm",
       "Administrators: a service behind the gateway is slow",
       {"name", "service", "p95_ms", "threshold_ms", "calls", "since"},
       true},
  };
  return kinds;
}

const EventKind* FindEventKind(std::string_view key) {
  for (const EventKind& k : EventKinds()) {
    if (k.key == key) return &k;
  }
  return nullptr;
}

namespace internal {

// E-mail and SMS texts; the in-app list shows the e-mail's subject over the SMS's text.
const std::vector<DefaultText>& DefaultTexts() {
  static const std::vector<DefaultText> texts = {
      {"submission_received", Channel::kEmail, Language::kVi, "Đã nhận hồ sơ {{reference}}",
       "Kính gửi {{name}},\n"
       "\n"
       "Hệ thống đã nhận hồ sơ \"{{procedure}}\" của Ông/Bà. Mã tra cứu: {{reference}}.\n"
       "Ông/Bà dùng mã này để theo dõi hồ sơ tại {{lookup_url}}. Cán bộ tiếp nhận sẽ kiểm tra hồ "
       "sơ và thông báo kết quả tiếp nhận.\n"
       "\n"
       "Trân trọng."},
      {"submission_received", Channel::kEmail, Language::kEn, "Application {{reference}} received",
       "Dear {{name}},\n"
       "\n"
       "We have received your application for \"{{procedure}}\". Your reference is {{reference}}.\n"
       "Use it to follow the application at {{lookup_url}}. An officer will check it and let you "
       "know whether it is accepted.\n"
       "\n"
       "Kind regards."},
      {"submission_received", Channel::kSms, Language::kVi, "",
       "Đã nhận hồ sơ {{procedure}}. Mã tra cứu: {{reference}}. Theo dõi tại {{lookup_url}}"},
      {"submission_received", Channel::kSms, Language::kEn, "",
       "Application for {{procedure}} received. Reference: {{reference}}. Follow it at "
       "{{lookup_url}}"},
      {"accepted", Channel::kEmail, Language::kVi, "Hồ sơ {{code}} đã được tiếp nhận",
       "Kính gửi {{name}},\n"
       "\n"
       "Hồ sơ \"{{procedure}}\" của Ông/Bà đã được tiếp nhận với mã số {{code}}.\n"
       "Ngày hẹn trả kết quả: {{appointment_date}}.\n"
       "\n"
       "Trân trọng."},
      {"accepted", Channel::kEmail, Language::kEn, "Application {{code}} accepted",
       "Dear {{name}},\n"
       "\n"
       "Your application for \"{{procedure}}\" has been accepted under number {{code}}.\n"
       "The result is due on {{appointment_date}}.\n"
       "\n"
       "Kind regards."},
      {"accepted", Channel::kSms, Language::kVi, "",
       "Hồ sơ {{code}} đã được tiếp nhận. Hẹn trả kết quả ngày {{appointment_date}}."},
      {"accepted", Channel::kSms, Language::kEn, "",
       "Application {{code}} accepted. Result due on {{appointment_date}}."},
      {"supplement_requested", Channel::kEmail, Language::kVi, "Hồ sơ {{code}} cần bổ sung",
       "Kính gửi {{name}},\n"
       "\n"
       "Hồ sơ {{code}} cần bổ sung: {{what}}.\n"
       "Ông/Bà vui lòng bổ sung trước ngày {{deadline}}; thời hạn giải quyết tính lại từ khi nhận "
       "đủ hồ sơ.\n"
       "\n"
       "Trân trọng."},
      {"supplement_requested", Channel::kEmail, Language::kEn,
       "Application {{code}}: more documents needed",
       "Dear {{name}},\n"
       "\n"
       "Application {{code}} needs the following: {{what}}.\n"
       "Please provide it by {{deadline}}; the processing time starts again once the application "
       "is complete.\n"
       "\n"
       "Kind regards."},
      {"supplement_requested", Channel::kSms, Language::kVi, "",
       "Hồ sơ {{code}} cần bổ sung: {{what}}. Hạn bổ sung: {{deadline}}."},
      {"supplement_requested", Channel::kSms, Language::kEn, "",
       "Application {{code}} needs: {{what}}. Please provide it by {{deadline}}."},
      {"fees_requested", Channel::kEmail, Language::kVi, "Hồ sơ {{code}}: đề nghị nộp phí, lệ phí",
       "Kính gửi {{name}},\n"
       "\n"
       "Hồ sơ {{code}} cần nộp phí, lệ phí {{amount}} đồng.\n"
       "Cách nộp: {{how_to_pay}}\n"
       "\n"
       "Trân trọng."},
      {"fees_requested", Channel::kEmail, Language::kEn, "Application {{code}}: fees to pay",
       "Dear {{name}},\n"
       "\n"
       "Application {{code}} has fees of {{amount}} VND to pay.\n"
       "How to pay: {{how_to_pay}}\n"
       "\n"
       "Kind regards."},
      {"fees_requested", Channel::kSms, Language::kVi, "",
       "Hồ sơ {{code}}: vui lòng nộp {{amount}} đồng. {{how_to_pay}}"},
      {"fees_requested", Channel::kSms, Language::kEn, "",
       "Application {{code}}: please pay {{amount}} VND. {{how_to_pay}}"},
      {"result_ready", Channel::kEmail, Language::kVi, "Hồ sơ {{code}} đã có kết quả",
       "Kính gửi {{name}},\n"
       "\n"
       "Hồ sơ {{code}} đã có kết quả. {{how_to_get}}\n"
       "\n"
       "Trân trọng."},
      {"result_ready", Channel::kEmail, Language::kEn, "Application {{code}}: the result is ready",
       "Dear {{name}},\n"
       "\n"
       "The result of application {{code}} is ready. {{how_to_get}}\n"
       "\n"
       "Kind regards."},
      {"result_ready", Channel::kSms, Language::kVi, "",
       "Hồ sơ {{code}} đã có kết quả. {{how_to_get}}"},
      {"result_ready", Channel::kSms, Language::kEn, "",
       "The result of application {{code}} is ready. {{how_to_get}}"},
      {"apology", Channel::kEmail, Language::kVi, "Xin lỗi về việc trễ hẹn hồ sơ {{code}}",
       "Kính gửi {{name}},\n"
       "\n"
       "Cơ quan giải quyết chân thành xin lỗi Ông/Bà vì hồ sơ {{code}} chưa có kết quả đúng hẹn. "
       "Lý do: {{reason}}\n"
       "Ngày hẹn trả kết quả mới: {{new_date}}.\n"
       "\n"
       "Trân trọng."},
      {"apology", Channel::kEmail, Language::kEn, "Our apologies: application {{code}} is late",
       "Dear {{name}},\n"
       "\n"
       "We sincerely apologise: application {{code}} could not be completed on time. Reason: "
       "{{reason}}\n"
       "The new date for the result is {{new_date}}.\n"
       "\n"
       "Kind regards."},
      {"apology", Channel::kSms, Language::kVi, "",
       "Xin lỗi Ông/Bà: hồ sơ {{code}} chưa có kết quả đúng hẹn. Hẹn lại ngày {{new_date}}."},
      {"apology", Channel::kSms, Language::kEn, "",
       "We apologise: application {{code}} is late. New date: {{new_date}}."},
      {"rejected", Channel::kEmail, Language::kVi, "Hồ sơ {{code}} không được giải quyết",
       "Kính gửi {{name}},\n"
       "\n"
       "Hồ sơ {{code}} không được giải quyết. Lý do: {{reason}}\n"
       "\n"
       "Trân trọng."},
      {"rejected", Channel::kEmail, Language::kEn, "Application {{code}} refused",
       "Dear {{name}},\n"
       "\n"
       "Application {{code}} has been refused. Reason: {{reason}}\n"
       "\n"
       "Kind regards."},
      {"rejected", Channel::kSms, Language::kVi, "",
       "Hồ sơ {{code}} không được giải quyết. Lý do: {{reason}}"},
      {"rejected", Channel::kSms, Language::kEn, "",
       "Application {{code}} refused. Reason: {{reason}}"},
      {"officer_new_work", Channel::kEmail, Language::kVi, "Hồ sơ mới cần xử lý: {{code}}",
       "Kính gửi {{name}},\n"
       "\n"
       "Hồ sơ {{code}} ({{procedure}}) vừa chuyển đến hàng đợi của đồng chí.\n"
       "\n"
       "Trân trọng."},
      {"officer_new_work", Channel::kEmail, Language::kEn, "New work in your queue: {{code}}",
       "Dear {{name}},\n"
       "\n"
       "Application {{code}} ({{procedure}}) has just arrived in your queue.\n"
       "\n"
       "Kind regards."},
      {"officer_new_work", Channel::kSms, Language::kVi, "",
       "Hồ sơ mới cần xử lý: {{code}} ({{procedure}})."},
      {"officer_new_work", Channel::kSms, Language::kEn, "",
       "New work in your queue: {{code}} ({{procedure}})."},
      {"officer_due_soon", Channel::kEmail, Language::kVi, "Hồ sơ {{code}} sắp quá hạn",
       "Kính gửi {{name}},\n"
       "\n"
       "Hồ sơ {{code}} sẽ quá hạn vào {{deadline}} nếu chưa được xử lý xong.\n"
       "\n"
       "Trân trọng."},
      {"officer_due_soon", Channel::kEmail, Language::kEn,
       "Application {{code}} is about to be late",
       "Dear {{name}},\n"
       "\n"
       "Application {{code}} becomes late on {{deadline}} unless it is finished before then.\n"
       "\n"
       "Kind regards."},
      {"officer_due_soon", Channel::kSms, Language::kVi, "",
       "Hồ sơ {{code}} sắp quá hạn ({{deadline}})."},
      {"officer_due_soon", Channel::kSms, Language::kEn, "",
       "Application {{code}} is about to be late ({{deadline}})."},
      {"password_reset", Channel::kEmail, Language::kVi, "Đặt lại mật khẩu Cổng dịch vụ công",
       "Kính gửi {{name}},\n"
       "\n"
       "Có yêu cầu đặt lại mật khẩu cho tài khoản {{login}}. Để đặt mật khẩu mới, mở liên kết "
       "sau trong vòng {{minutes}} phút (liên kết chỉ dùng được một lần):\n"
       "\n"
       "{{link}}\n"
       "\n"
       "Nếu không phải đồng chí yêu cầu, hãy bỏ qua thư này: mật khẩu hiện tại vẫn giữ nguyên.\n"
       "\n"
       "Trân trọng."},
      {"password_reset", Channel::kEmail, Language::kEn,
       "Reset your public services portal password",
       "Dear {{name}},\n"
       "\n"
       "Someone asked to reset the password of the account {{login}}. To choose a new password, "
       "open this link within {{minutes}} minutes (it works once):\n"
       "\n"
       "{{link}}\n"
       "\n"
       "If you did not ask for this, ignore this e-mail: your current password stays as it is.\n"
       "\n"
       "Kind regards."},
      {"password_reset", Channel::kSms, Language::kVi, "",
       "Đặt lại mật khẩu tài khoản {{login}} (trong {{minutes}} phút, một lần): {{link}}"},
      {"password_reset", Channel::kSms, Language::kEn, "",
       "Reset the password of {{login}} (within {{minutes}} minutes, once): {{link}}"},
      {"gateway_error_rate", Channel::kEmail, Language::kVi,
       "Cảnh báo: dịch vụ {{service}} lỗi {{percent}} % lời gọi",
       "Kính gửi {{name}},\n"
       "\n"
       "Từ {{since}}, {{percent}} % trong {{calls}} lời gọi gần nhất tới dịch vụ {{service}} qua "
       "nền tảng tích hợp bị lỗi hoặc không tới được hệ thống cung cấp (ngưỡng cảnh báo: "
       "{{threshold}} %).\n"
       "\n"
       "Xin kiểm tra hệ thống cung cấp dịch vụ; tình trạng hiện tại ở trang Quản trị > Nền tảng "
       "tích hợp.\n"
       "\n"
       "Trân trọng."},
      {"gateway_error_rate", Channel::kEmail, Language::kEn,
       "Alert: {{percent}}% of calls to {{service}} fail",
       "Dear {{name}},\n"
       "\n"
       "Since {{since}}, {{percent}}% of the last {{calls}} calls to the service {{service}} "
       "through the gateway failed or did not reach the system behind it (alert threshold: "
       "{{threshold}}%).\n"
       "\n"
       "Please check the system that provides the service; its state is on the Administration > "
       "Data integration page.\n"
       "\n"
       "Kind regards."},
      {"gateway_error_rate", Channel::kSms, Language::kVi, "",
       "Cảnh báo LGSP: dịch vụ {{service}} lỗi {{percent}} % lời gọi (ngưỡng {{threshold}} %)."},
      {"gateway_error_rate", Channel::kSms, Language::kEn, "",
       "Gateway alert: {{percent}}% of calls to {{service}} fail (threshold {{threshold}}%)."},
      {"gateway_latency", Channel::kEmail, Language::kVi,
       "Cảnh báo: dịch vụ {{service}} trả lời chậm ({{p95_ms}} ms)",
       "Kính gửi {{name}},\n"
       "\n"
       "Từ {{since}}, 95 % trong {{calls}} lời gọi gần nhất tới dịch vụ {{service}} qua nền tảng "
       "tích hợp được trả lời trong {{p95_ms}} ms, chậm hơn ngưỡng cảnh báo {{threshold_ms}} ms.\n"
       "\n"
       "Xin kiểm tra hệ thống cung cấp dịch vụ; tình trạng hiện tại ở trang Quản trị > Nền tảng "
       "tích hợp.\n"
       "\n"
       "Trân trọng."},
      {"gateway_latency", Channel::kEmail, Language::kEn,
       "Alert: {{service}} answers slowly ({{p95_ms}} ms)",
       "Dear {{name}},\n"
       "\n"
       "Since {{since}}, 95% of the last {{calls}} calls to the service {{service}} through the "
       "gateway were answered within {{p95_ms}} ms, slower than the alert threshold of "
       "{{threshold_ms}} ms.\n"
       "\n"
       "Please check the system that provides the service; its state is on the Administration > "
       "Data integration page.\n"
       "\n"
       "Kind regards."},
      {"gateway_latency", Channel::kSms, Language::kVi, "",
       "Cảnh báo LGSP: dịch vụ {{service}} trả lời chậm, p95 {{p95_ms}} ms (ngưỡng "
       "{{threshold_ms}} ms)."},
      {"gateway_latency", Channel::kSms, Language::kEn, "",
       "Gateway alert: {{service}} answers slowly, p95 {{p95_ms}} ms (threshold {{threshold_ms}} "
       "ms)."},
  };
  return texts;
}

}  // namespace internal
}  // namespace tinhso::notify
