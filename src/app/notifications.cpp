#include "app/notifications.hpp"

#include "core/parse.hpp"

namespace tinhso::app {
namespace {

// 150000 → "150.000", as amounts are written in Vietnamese.
std::string Amount(std::int64_t dong) {
  std::string digits = std::to_string(dong);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return out;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "; ") + item;
  return out;
}

}  // namespace

Result<void> DossierNotifier::OnEvent(storage::Transaction& tx, const dossiers::Dossier& d,
                                      const dossiers::Event& event, std::string_view reason) {
  using dossiers::Channel;
  notify::Event n;
  n.id = "dossier-" + std::to_string(d.id) + "-event-" + std::to_string(event.seq);
  n.dossier_id = d.id;
  std::string procedure = d.procedure_name;
  if (procedure.empty()) {
    // The catalog's in-memory copy (the transition read the procedure just before).
    if (auto p = catalog_.Find(d.procedure_code); p.ok()) procedure = (*p)->name;
  }
  n.values = {{"name", d.applicant.name}, {"code", d.code}, {"procedure", procedure}};
  const std::string& a = event.action;
  if (a == "submit" && d.channel == Channel::kOnline) {
    n.template_key = "submission_received";
    n.values["reference"] = d.code.empty() ? "#" + std::to_string(d.id) : d.code;
    n.values["lookup_url"] = lookup_url_;
  } else if (a == "accept") {
    n.template_key = "accepted";
    n.values["appointment_date"] = d.due_at ? core::FormatVietnamDateTime(*d.due_at) : "";
  } else if (a == "request_completion" || a == "request_supplement") {
    n.template_key = "supplement_requested";
    n.values["what"] = Joined(event.items);
    // The dossier model has no deadline for a supplement: the request form states it.
    n.values["deadline"] = "theo Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ";
  } else if (a == "request_payment") {
    n.template_key = "fees_requested";
    n.values["amount"] = Amount(d.fee_total);
    n.values["how_to_pay"] =
        "Thanh toán trực tuyến tại trang hồ sơ trên Cổng dịch vụ công, hoặc nộp tại Bộ phận "
        "một cửa.";
  } else if (a == "issue_result") {
    n.template_key = "result_ready";
    n.values["how_to_get"] =
        "Ông/Bà nhận kết quả tại Bộ phận một cửa hoặc tải về tại trang hồ sơ trên Cổng dịch vụ "
        "công.";
  } else if (a == "apologise") {
    n.template_key = "apology";
    n.values["new_date"] = d.due_at ? core::FormatVietnamDateTime(*d.due_at) : "";
    n.values["reason"] = std::string(reason);
  } else if (a == "reject") {
    n.template_key = "rejected";
    n.values["reason"] = Joined(event.items);
  } else if (a == "assign" && d.assignee_id != 0) {
    // The officer given the work: in-app (officers' contact details are their agency's).
    notify::Event work = n;
    work.template_key = "officer_new_work";
    notify::Recipient officer;
    officer.user_id = d.assignee_id;
    TINHSO_RETURN_IF_ERROR(outbox_.Enqueue(tx, work, officer));
    return Ok();
  } else {
    return Ok();  // nothing the applicant needs to hear
  }
  notify::Recipient applicant;
  applicant.user_id = d.applicant_user_id;
  applicant.email = d.applicant.email;
  applicant.phone = d.applicant.phone;
  TINHSO_RETURN_IF_ERROR(outbox_.Enqueue(tx, n, applicant));
  return Ok();
}

}  // namespace tinhso::app
