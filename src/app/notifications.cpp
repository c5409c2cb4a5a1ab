#include "app/notifications.hpp"

#include <algorithm>
#include <cmath>

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
  // The reference and the lookup link work from submission on, before the dossier has its
  // code and after: every message may carry them.
  const std::string reference = dossiers::Reference(d.id);
  n.values = {{"name", d.applicant.name},
              {"code", d.code.empty() ? reference : d.code},
              {"reference", reference},
              {"lookup_url", lookup_url_ + "?ma=" + reference + "&k=" + d.lookup_secret},
              {"procedure", procedure}};
  const std::string& a = event.action;
  if (a == "submit" && d.channel == Channel::kOnline) {
    n.template_key = "submission_received";
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

namespace tinhso::app {

namespace {

// A whole percentage: the same in both languages (no decimal point or comma to choose), and
// a threshold is set in whole percents anyway.
std::string Percent(double ratio) {
  const long percent = std::lround(ratio * 100);
  return percent == 0 && ratio > 0 ? "< 1" : std::to_string(percent);
}

}  // namespace

Result<int> TellAdministrators(storage::Database& db, const notify::Outbox& outbox,
                               const auth::Accounts& accounts,
                               const std::vector<gateway::Alert>& raised) {
  if (raised.empty()) return 0;
  TINHSO_ASSIGN_OR_RETURN(std::vector<auth::User> admins, accounts.Holders(auth::kRoleAdmin));
  int made = 0;
  for (const gateway::Alert& a : raised) {
    notify::Event e;
    e.id = "gateway-alert-" + a.service + "-" + a.kind + "-" + std::to_string(a.since_ms);
    e.values["service"] = a.service;
    e.values["calls"] = std::to_string(a.calls);
    e.values["since"] =
        core::FormatVietnamDateTime(core::Seconds(std::chrono::seconds(a.since_ms / 1000)));
    if (a.kind == "latency") {
      e.template_key = "gateway_latency";
      e.values["p95_ms"] = std::to_string(static_cast<std::int64_t>(a.value));
      e.values["threshold_ms"] = std::to_string(static_cast<std::int64_t>(a.threshold));
    } else {
      e.template_key = "gateway_error_rate";
      e.values["percent"] = Percent(a.value);
      e.values["threshold"] = Percent(a.threshold);
    }
    for (const auth::User& admin : admins) {
      e.values["name"] = admin.full_name;
      notify::Recipient r;
      r.user_id = admin.id;
      r.email = admin.email;
      r.phone = admin.phone;
      TINHSO_ASSIGN_OR_RETURN(auto messages,
                              storage::WithTransaction(db, [&](storage::Transaction& tx) {
                                return outbox.Enqueue(tx, e, r);
                              }));
      made += static_cast<int>(messages.size());
    }
  }
  return made;
}

Result<std::vector<auth::User>> OfficerNotices::Responsible(const dossiers::Dossier& d) const {
  std::vector<auth::User> out;
  if (d.assignee_id != 0) {
    TINHSO_ASSIGN_OR_RETURN(auth::User officer, accounts_.Get(d.assignee_id));
    if (!officer.disabled) out.push_back(std::move(officer));
    return out;
  }
  std::string role = "reception";
  if (d.status != dossiers::Status::kRegistered) {
    role = "officer";
    if (auto procedure = catalog_.Find(d.procedure_code); procedure.ok()) {
      for (const catalog::Step& s : (*procedure)->steps) {
        if (s.code == d.step_code && !s.role.empty()) role = s.role;
      }
    }
  }
  constexpr int kPage = 200;
  for (int offset = 0;; offset += kPage) {
    TINHSO_ASSIGN_OR_RETURN(auto users, accounts_.List({d.current_agency_id}, "", kPage, offset));
    for (auth::User& u : users) {
      // List covers the agency's subtree: only its own officers hold its queue.
      if (u.agency_id != d.current_agency_id || u.disabled) continue;
      if (std::find(u.roles.begin(), u.roles.end(), role) != u.roles.end()) {
        out.push_back(std::move(u));
      }
    }
    if (static_cast<int>(users.size()) < kPage) break;
  }
  return out;
}

Result<int> OfficerNotices::Tell(const notify::Event& event,
                                 const std::vector<auth::User>& officers) const {
  int made = 0;
  for (const auth::User& officer : officers) {
    notify::Event e = event;
    e.values["name"] = officer.full_name;
    notify::Recipient r;
    r.user_id = officer.id;
    r.email = officer.email;  // officers are told in-app and by e-mail, not by SMS
    TINHSO_ASSIGN_OR_RETURN(auto messages,
                            storage::WithTransaction(db_, [&](storage::Transaction& tx) {
                              return outbox_.Enqueue(tx, e, r);
                            }));
    made += static_cast<int>(messages.size());
  }
  return made;
}

Result<OfficerScanReport> OfficerNotices::Scan(core::Seconds now) const {
  OfficerScanReport report;
  const core::Actor system = core::SystemActor();
  constexpr int kPage = 200;

  // Arrivals: open dossiers changed in the window, newest first, whose current step began in it.
  const core::Seconds since = now - options_.arrival_window;
  dossiers::ListQuery recent;
  recent.statuses = {dossiers::Status::kRegistered, dossiers::Status::kReceived,
                     dossiers::Status::kProcessing};
  recent.sort = "-updated_at";
  recent.limit = kPage;
  for (bool more = true; more; recent.offset += kPage) {
    TINHSO_ASSIGN_OR_RETURN(dossiers::Page page, dossiers_.List(recent, system));
    more = static_cast<int>(page.items.size()) == kPage;
    for (const dossiers::Dossier& d : page.items) {
      if (d.updated_at < since) {
        more = false;
        break;
      }
      const core::Seconds arrived = d.step_started_at.value_or(d.submitted_at);
      // An assignment told its officer already (DossierNotifier).
      if (arrived < since || d.assignee_id != 0) continue;
      ++report.arrivals;
      notify::Event e;
      e.id = "dossier-" + std::to_string(d.id) + "-queue-" + std::to_string(d.current_agency_id) +
             "-" + d.step_code + "-" + std::to_string(arrived.time_since_epoch().count());
      e.template_key = "officer_new_work";
      e.dossier_id = d.id;
      e.values = {{"code", d.code.empty() ? "#" + std::to_string(d.id) : d.code},
                  {"procedure", d.procedure_name}};
      TINHSO_ASSIGN_OR_RETURN(auto officers, Responsible(d));
      TINHSO_ASSIGN_OR_RETURN(int made, Tell(e, officers));
      report.messages += made;
    }
  }

  // Due soon: in progress, not late yet, due by the end of the N-th working day from today.
  if (options_.due_soon_working_days > 0) {
    dossiers::ListQuery due;
    due.statuses = {dossiers::Status::kReceived, dossiers::Status::kProcessing};
    due.due_from = now;
    due.due_to = calendar_.EndOfWorkingDay(calendar_.AddWorkingDays(
                     calendar_.LocalDate(now), options_.due_soon_working_days)) +
                 std::chrono::seconds(1);  // the bound is exclusive; appointments end a day
    due.sort = "due_at";
    due.limit = kPage;
    for (bool more = true; more; due.offset += kPage) {
      TINHSO_ASSIGN_OR_RETURN(dossiers::Page page, dossiers_.List(due, system));
      more = static_cast<int>(page.items.size()) == kPage;
      for (const dossiers::Dossier& d : page.items) {
        if (!d.due_at) continue;
        ++report.due_soon;
        notify::Event e;
        e.id = "dossier-" + std::to_string(d.id) + "-due-" +
               std::to_string(d.due_at->time_since_epoch().count());
        e.template_key = "officer_due_soon";
        e.dossier_id = d.id;
        e.values = {{"code", d.code.empty() ? "#" + std::to_string(d.id) : d.code},
                    {"deadline", core::FormatVietnamDateTime(*d.due_at)}};
        TINHSO_ASSIGN_OR_RETURN(auto officers, Responsible(d));
        TINHSO_ASSIGN_OR_RETURN(int made, Tell(e, officers));
        report.messages += made;
      }
    }
  }
  return report;
}

}  // namespace tinhso::app
