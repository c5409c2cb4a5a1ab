// The dossier lifecycle through the Service, on SQLite and PostgreSQL.
#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "agencies/codes.hpp"
#include "fixture.hpp"

namespace tinhso::dossiers::test {
namespace {

class DossierServiceTest : public DossierTest {};

TEST_P(DossierServiceTest, OnlineSubmissionWaitsForReceptionThenGetsCodeAndAppointment) {
  auto& svc = app_->dossiers();
  bool created = false;
  auto d = svc.Submit(BirthRegistration(), Citizen(), &created);
  ASSERT_TRUE(d.ok()) << d.error().message_en << " " << d.error().detail;
  EXPECT_TRUE(created);
  EXPECT_EQ(d->status, Status::kRegistered);
  EXPECT_TRUE(d->code.empty());
  EXPECT_EQ(d->competent_agency_id, commune_);
  EXPECT_EQ(d->receiving_agency_id, commune_);  // commune procedures: received by the commune
  EXPECT_EQ(d->lookup_secret.size(), 11u);

  const auto reception = Officer(commune_, {"reception"}, 11);
  clock_.Set(At("2026-11-23T10:15"));
  auto accepted = svc.Transition(d->id, Act("accept", d->version), reception);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message_en;
  EXPECT_EQ(accepted->status, Status::kReceived);
  const std::string prefix = *agencies::Qd20ToQcvn("H55.60.01");
  EXPECT_EQ(accepted->code, prefix + "-261123-0001");
  // 1 working day from Monday: Tuesday 17:00.
  EXPECT_EQ(accepted->due_at, At("2026-11-24T17:00"));
  EXPECT_EQ(accepted->step_code, "xu_ly");
  EXPECT_EQ(accepted->version, d->version + 1);

  auto events = svc.Timeline(d->id, reception);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].action, "submit");
  EXPECT_EQ((*events)[1].action, "accept");
  EXPECT_EQ((*events)[1].status, Status::kReceived);
  EXPECT_EQ((*events)[1].actor_name, "Cán bộ 11");
}

TEST_P(DossierServiceTest, CounterSubmissionIsAcceptedAtOnce) {
  auto d = app_->dossiers().Submit(BirthRegistration(Channel::kCounter),
                                   Officer(commune_, {"reception"}, 11));
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  EXPECT_EQ(d->status, Status::kReceived);
  EXPECT_FALSE(d->code.empty());
  EXPECT_EQ(d->channel, Channel::kCounter);
  // A citizen cannot claim the counter channel, nor an officer the online one.
  auto citizen = app_->dossiers().Submit(BirthRegistration(Channel::kCounter), Citizen());
  EXPECT_EQ(citizen.error().code, ErrorCode::kPermissionDenied);
  auto officer = app_->dossiers().Submit(BirthRegistration(), Officer(commune_, {"reception"}, 11));
  EXPECT_EQ(officer.error().code, ErrorCode::kPermissionDenied);
}

// At the counter the officer ticks each component received, and in which form: every required
// one must be there; the accept event keeps the checklist (the receipt lists it).
TEST_P(DossierServiceTest, CounterChecklistNeedsEveryRequiredComponent) {
  auto& svc = app_->dossiers();
  const auto reception = Officer(commune_, {"reception"}, 11);
  SubmitInput in = BirthRegistration(Channel::kCounter);
  in.received = {{"TP1", "original"}};
  auto missing = svc.Submit(in, reception);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().reason, "dossier.component_missing");
  EXPECT_NE(missing.error().message_vi.find("Giấy chứng sinh"), std::string::npos);
  in.received = {{"TP1", "original"}, {"TP9", "copy"}};
  EXPECT_EQ(svc.Submit(in, reception).error().reason, "dossier.unknown_component");
  in.received = {{"TP1", "original"}, {"TP1", "copy"}};
  EXPECT_EQ(svc.Submit(in, reception).error().reason, "dossier.component_twice");
  in.received = {{"TP1", "original"}, {"TP2", "scan"}};
  EXPECT_EQ(svc.Submit(in, reception).error().reason, "dossier.component_form");
  EXPECT_EQ(CountRows("dossiers"), 0);

  in.received = {{"TP1", "original"}, {"TP2", "certified"}};
  auto d = svc.Submit(in, reception);
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  auto timeline = svc.Timeline(d->id, reception);
  ASSERT_TRUE(timeline.ok());
  const Event& accept = timeline->back();
  EXPECT_EQ(accept.action, "accept");
  ASSERT_EQ(accept.received.size(), 2u);
  EXPECT_EQ(accept.received[1].component, "TP2");
  EXPECT_EQ(accept.received[1].form, "certified");
  EXPECT_EQ(accept.items, (std::vector<std::string>{"Tờ khai đăng ký khai sinh (TP1): bản chính",
                                                    "Giấy chứng sinh (TP2): bản sao chứng thực"}));
  EXPECT_TRUE(svc.Form(d->id, "receipt", reception).ok());
  // Online, the files are the components: a checklist there is a mistake.
  SubmitInput online = BirthRegistration();
  online.received = {{"TP1", "original"}};
  EXPECT_EQ(svc.Submit(online, Citizen()).error().reason, "dossier.received_counter_only");
}

// Counter intake finds the applicant by identity number: their account first, else their
// latest dossier at the officer's own agency (never another agency's).
TEST_P(DossierServiceTest, CounterFindsTheApplicantByIdentityNumber) {
  auto& svc = app_->dossiers();
  const auto reception = Officer(commune_, {"reception"}, 11);
  auto none = svc.FindApplicant("001199012345", reception);
  ASSERT_TRUE(none.ok()) << none.error().message_en;
  EXPECT_FALSE(none->applicant);
  ASSERT_TRUE(svc.Submit(BirthRegistration(Channel::kCounter), reception).ok());
  auto seen = svc.FindApplicant("001199012345", reception);
  ASSERT_TRUE(seen.ok());
  ASSERT_TRUE(seen->applicant);
  EXPECT_EQ(seen->applicant->name, "Nguyễn Thị Hồng Nhung");
  EXPECT_EQ(seen->applicant->phone, "0912345678");
  EXPECT_EQ(seen->applicant->address, "Chợ Đồn");
  EXPECT_EQ(seen->dossiers, 1);
  EXPECT_FALSE(seen->account);
  EXPECT_FALSE(
      svc.FindApplicant("001199012345", Officer(other_commune_, {"reception"}, 12))->applicant)
      << "another agency's dossiers stay there";
  svc.SetAccountFinder([](std::string_view id) -> std::optional<Applicant> {
    if (id != "001199012345") return std::nullopt;
    return Applicant{
        .name = "Nguyễn Thị Hồng Nhung", .id_number = "001199012345", .email = "nhung@example.vn"};
  });
  auto account = svc.FindApplicant("001199012345", reception);
  ASSERT_TRUE(account.ok());
  EXPECT_TRUE(account->account);
  EXPECT_EQ(account->applicant->email, "nhung@example.vn");
  EXPECT_EQ(account->applicant->address, "Chợ Đồn") << "the address from the dossier";
  EXPECT_EQ(svc.FindApplicant("12ab", reception).error().reason, "dossier.invalid_id_number");
  EXPECT_EQ(svc.FindApplicant("001199012345", Citizen()).error().code,
            ErrorCode::kPermissionDenied);
  svc.SetAccountFinder(nullptr);
}

// A submission answers with the dossier as stored: online from the inserted row itself, at the
// counter read back after its acceptance; either way what a later read returns.
TEST_P(DossierServiceTest, ASubmissionAnswersWithTheDossierAsStored) {
  auto& svc = app_->dossiers();
  auto online = svc.Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(online.ok()) << online.error().message_en;
  auto read = svc.Get(online->id, Citizen());
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(*online == *read);
  EXPECT_EQ(online->form_json, read->form_json);
  EXPECT_EQ(online->submitted_at, read->submitted_at);

  const auto reception = Officer(commune_, {"reception"}, 11);
  auto counter = svc.Submit(BirthRegistration(Channel::kCounter), reception);
  ASSERT_TRUE(counter.ok()) << counter.error().message_en;
  auto read_counter = svc.Get(counter->id, reception);
  ASSERT_TRUE(read_counter.ok());
  EXPECT_TRUE(*counter == *read_counter);
  EXPECT_EQ(counter->version, 2);
}

TEST_P(DossierServiceTest, BadInputLeavesNothingBehind) {
  auto& svc = app_->dossiers();
  auto expect_refused = [&](SubmitInput in, std::string_view reason) {
    auto r = svc.Submit(in, Citizen());
    ASSERT_FALSE(r.ok()) << reason;
    EXPECT_EQ(r.error().reason, reason);
    EXPECT_FALSE(r.error().message_vi.empty());
    EXPECT_FALSE(r.error().message_en.empty());
  };
  auto in = BirthRegistration();
  in.applicant.id_number = "001199012346x";
  in.on_behalf = true;  // someone else's number, malformed (her own is the account's)
  expect_refused(in, "dossier.invalid_cccd");
  in = BirthRegistration();
  in.files.pop_back();
  expect_refused(in, "dossier.component_missing");
  in = BirthRegistration();
  in.files[0] = {"TP1", "to-khai.pdf", "\x89PNG\r\n\x1A\nnot a pdf"};  // a PNG named .pdf
  expect_refused(in, "dossier.file_type");
  in = BirthRegistration();
  in.files[0].content = Pdf(std::string(11 << 20, 'x'));
  expect_refused(in, "dossier.file_too_large");
  in = BirthRegistration();
  in.form_json = R"({"child_name":"An"})";  // birth date missing
  expect_refused(in, "dossier.form_invalid");
  in = BirthRegistration();
  in.locality_code = "H55.99.99";
  expect_refused(in, "dossier.locality_invalid");
  EXPECT_EQ(CountRows("dossiers"), 0);
  EXPECT_EQ(CountRows("dossier_files"), 0);
  EXPECT_EQ(CountRows("dossier_events"), 0);
}

TEST_P(DossierServiceTest, IdempotencyKeyNeverMakesASecondDossier) {
  auto& svc = app_->dossiers();
  auto in = BirthRegistration();
  in.idempotency_key = "lan-nop-1";
  bool created = false;
  auto first = svc.Submit(in, Citizen(), &created);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(created);
  auto again = svc.Submit(in, Citizen(), &created);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(again->id, first->id);
  // The same key with other content is refused, not silently mapped to the first dossier.
  in.form_json = R"({"child_name":"Người khác","birth_date":"2026-11-02"})";
  auto other = svc.Submit(in, Citizen());
  EXPECT_EQ(other.error().reason, "dossier.idempotency_key_reused");
  // Another applicant may use the same key for their own dossier.
  auto someone_else = svc.Submit(BirthRegistration(), Citizen(777), &created);
  ASSERT_TRUE(someone_else.ok());
  EXPECT_EQ(CountRows("dossiers"), 2);
}

TEST_P(DossierServiceTest, StaleVersionIsAConflictAndChangesNothing) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(d.ok());
  const auto reception = Officer(commune_, {"reception"}, 11);
  ASSERT_TRUE(svc.Transition(d->id, Act("accept", d->version), reception).ok());
  auto stale = svc.Transition(d->id, Act("accept", d->version), reception);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().reason, "dossier.version_conflict");
  EXPECT_EQ(CountRows("dossier_events"), 2);
}

TEST_P(DossierServiceTest, IllegalTransitionsAreRefusedWithReasons) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(d.ok());
  auto returned =
      svc.Transition(d->id, Act("return", d->version), Officer(commune_, {"reception"}, 11));
  EXPECT_EQ(returned.error().reason, "dossier.illegal_transition");
  EXPECT_NE(returned.error().message_vi.find("Mới đăng ký"), std::string::npos);
  // An officer of another commune cannot accept it.
  auto elsewhere =
      svc.Transition(d->id, Act("accept", d->version), Officer(other_commune_, {"reception"}, 12));
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kPermissionDenied);
  // Nor can another citizen see it (not even that it exists).
  auto peek = svc.Get(d->id, Citizen(778));
  EXPECT_EQ(peek.error().code, ErrorCode::kNotFound);
  auto reject_without_reason =
      svc.Transition(d->id, Act("reject", d->version), Officer(commune_, {"reception"}, 11));
  EXPECT_EQ(reject_without_reason.error().reason, "dossier.items_required");
}

TEST_P(DossierServiceTest, TransferAfterFifteenHundredStartsNextWorkingMorning) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  EXPECT_EQ(d->receiving_agency_id, centre_);
  EXPECT_EQ(d->competent_agency_id, justice_);
  // Friday 15:30: accepted at the centre, handed to Sở Tư pháp for Monday morning.
  clock_.Set(At("2026-11-20T15:30"));
  auto a = svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(a.ok()) << a.error().message_en;
  EXPECT_EQ(a->current_agency_id, justice_);
  EXPECT_EQ(a->step_started_at, At("2026-11-23T07:00"));
  // Before 15:00 the hand-over starts at once.
  auto d2 = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d2.ok());
  clock_.Set(At("2026-11-20T14:30"));
  auto a2 = svc.Transition(d2->id, Act("accept", d2->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(a2.ok());
  EXPECT_EQ(a2->step_started_at, At("2026-11-20T14:30"));
  // Two codes of the same centre on the same day.
  EXPECT_TRUE(a->code.ends_with("-261120-0001")) << a->code;
  EXPECT_TRUE(a2->code.ends_with("-261120-0002")) << a2->code;
}

TEST_P(DossierServiceTest, SupplementRestartsTheDeadlineAndSecondRequestMakesItLate) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d.ok());
  clock_.Set(At("2026-11-23T08:00"));
  auto a = svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->due_at, At("2026-12-07T17:00"));  // 10 working days from Monday 23 November
  const auto officer = Officer(justice_, {"officer"}, 21);
  clock_.Set(At("2026-11-24T09:00"));
  auto ask = Act("request_supplement", a->version);
  ask.items = {"Bản sao căn cước công dân", "Tờ khai; bản có chữ ký"};
  auto waiting = svc.Transition(d->id, ask, officer);
  ASSERT_TRUE(waiting.ok()) << waiting.error().message_en;
  EXPECT_EQ(waiting->status, Status::kSupplement);
  EXPECT_EQ(waiting->timeliness, Timeliness::kUndue);
  // The items stay structured on the event (for Mẫu 02), even one holding a semicolon.
  auto timeline = svc.Timeline(d->id, officer);
  ASSERT_TRUE(timeline.ok());
  EXPECT_EQ(timeline->back().items, ask.items);
  auto completion = svc.Form(d->id, "completion", officer);
  ASSERT_TRUE(completion.ok()) << completion.error().message_en;
  // The applicant answers a week later: the ten days start again from zero.
  clock_.Set(At("2026-12-01T10:00"));
  auto give = Act("supplement", waiting->version);
  give.files = {{"TP1", "cccd.pdf", Pdf("cccd")}};
  auto resumed = svc.Transition(d->id, give, Citizen());
  ASSERT_TRUE(resumed.ok()) << resumed.error().message_en;
  EXPECT_EQ(resumed->status, Status::kProcessing);
  EXPECT_EQ(resumed->due_at, At("2026-12-15T17:00"));
  // A second supplement request: the dossier counts as late whatever happens next.
  auto ask2 = Act("request_supplement", resumed->version);
  ask2.items = {"Ảnh chân dung"};
  auto waiting2 = svc.Transition(d->id, ask2, officer);
  ASSERT_TRUE(waiting2.ok());
  give.version = waiting2->version;
  auto resumed2 = svc.Transition(d->id, give, Citizen());
  ASSERT_TRUE(resumed2.ok());
  auto result = svc.Transition(d->id, Act("issue_result", resumed2->version),
                               Officer(justice_, {"leader"}, 22));
  ASSERT_TRUE(result.ok()) << result.error().message_en;
  EXPECT_EQ(result->status, Status::kResolved);
  EXPECT_EQ(result->timeliness, Timeliness::kLate);
  EXPECT_EQ(result->current_agency_id, centre_);  // back to the counter for return
}

TEST_P(DossierServiceTest, ApologyOnlyOnceAndOnlyBeforeTheDeadline) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d.ok());
  auto a = svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(a.ok());
  const auto leader = Officer(justice_, {"leader"}, 22);
  auto sorry = Act("apologise", a->version);
  sorry.new_due_at = *a->due_at + std::chrono::days(3);
  sorry.note = "Cần xác minh thông tin tại địa phương khác";
  // An officer may not sign it: only the agency's leader.
  auto by_officer = svc.Transition(d->id, sorry, Officer(justice_, {"officer"}, 21));
  EXPECT_EQ(by_officer.error().code, ErrorCode::kPermissionDenied);
  auto first = svc.Transition(d->id, sorry, leader);
  ASSERT_TRUE(first.ok()) << first.error().message_en;
  EXPECT_TRUE(first->apology_issued);
  EXPECT_EQ(first->due_at, sorry.new_due_at);
  EXPECT_EQ(first->original_due_at, a->due_at);
  sorry.version = first->version;
  sorry.new_due_at = *sorry.new_due_at + std::chrono::days(2);
  auto second = svc.Transition(d->id, sorry, leader);
  EXPECT_EQ(second.error().reason, "dossier.apology_once");
  // Too late on another dossier: after its deadline passed.
  auto d2 = svc.Submit(CriminalRecord(), Citizen());
  auto a2 = svc.Transition(d2->id, Act("accept", d2->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(a2.ok());
  clock_.Set(*a2->due_at + std::chrono::hours(1));
  auto late = Act("apologise", a2->version);
  late.new_due_at = *a2->due_at + std::chrono::days(5);
  late.note = "Chậm";
  EXPECT_EQ(svc.Transition(d2->id, late, leader).error().reason, "dossier.apology_too_late");
}

TEST_P(DossierServiceTest, ConcurrentCounterSubmissionsGetUniqueGapFreeCodes) {
  constexpr int kThreads = 6;
  constexpr int kEach = 15;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::vector<std::string> codes;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto in = BirthRegistration(Channel::kCounter);
        in.idempotency_key = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto d = app_->dossiers().Submit(in, Officer(commune_, {"reception"}, 11 + t));
        if (!d.ok()) {
          ++failures;
          continue;
        }
        std::lock_guard lock(mu);
        codes.push_back(d->code);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(codes.size(), static_cast<std::size_t>(kThreads * kEach));
  std::set<std::string> unique(codes.begin(), codes.end());
  EXPECT_EQ(unique.size(), codes.size());
  const std::string prefix = *agencies::Qd20ToQcvn("H55.60.01") + "-261123-";
  for (int n = 1; n <= kThreads * kEach; ++n) {
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "%04d", n);
    EXPECT_TRUE(unique.count(prefix + suffix)) << "missing " << prefix << suffix;
  }
}

// LookupAsync, waited for (a server never waits; a test may).
Result<PublicView> LookupAndWait(const Service& svc, std::string_view code, std::string_view secret,
                                 std::string_view client = {}) {
  std::promise<Result<PublicView>> answer;
  auto future = answer.get_future();
  svc.LookupAsync(code, secret, client,
                  [&answer](Result<PublicView> view) { answer.set_value(std::move(view)); });
  return future.get();
}

// A receipt's lookup code has at least 50 bits, and failed guesses are slowed per address and
// per dossier code; a receipt printed with a 6-character code keeps working. Before, 6
// case-insensitive characters (~30 bits) and uncounted failures let ~54,000 guesses find one of
// 20,000 dossiers.
TEST_P(DossierServiceTest, LookupCodesAreLongAndGuessesAreThrottled) {
  auto& svc = app_->dossiers();
  const auto reception = Officer(commune_, {"reception"}, 11);
  auto d = svc.Submit(BirthRegistration(Channel::kCounter), reception);
  ASSERT_TRUE(d.ok());
  EXPECT_GE(d->lookup_secret.size() * 5, 50u) << d->lookup_secret;  // 32 symbols: 5 bits each

  // Twenty wrong codes from one address: the next try from there is refused, even for a right
  // code, while another address is still served.
  for (int i = 0; i < 20; ++i) {
    auto other = svc.Submit(BirthRegistration(Channel::kCounter), reception);
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(svc.Lookup(other->code, "WRONGWRONG2", "203.0.113.7").error().reason,
              "dossier.lookup_failed");
  }
  EXPECT_EQ(svc.Lookup(d->code, d->lookup_secret, "203.0.113.7").error().reason,
            "dossier.lookup_throttled");
  EXPECT_EQ(LookupAndWait(svc, d->code, d->lookup_secret, "203.0.113.7").error().reason,
            "dossier.lookup_throttled");
  EXPECT_TRUE(svc.Lookup(d->code, d->lookup_secret, "198.51.100.2").ok());

  // Ten wrong codes for one dossier, from ten addresses: that code is closed to guessing.
  for (int i = 0; i < 10; ++i) {
    (void)svc.Lookup(d->code, "WRONGWRONG2", "192.0.2." + std::to_string(i));
  }
  EXPECT_EQ(svc.Lookup(d->code, "WRONGWRONG2", "192.0.2.200").error().reason,
            "dossier.lookup_throttled");
  // After the window, it opens again.
  clock_.Advance(std::chrono::minutes(16));
  EXPECT_TRUE(svc.Lookup(d->code, d->lookup_secret, "203.0.113.7").ok());

  // A receipt printed with a 6-character code (before this change) still works.
  auto old = svc.Submit(BirthRegistration(Channel::kCounter), reception);
  ASSERT_TRUE(old.ok());
  auto set = storage::WithTransaction(db(), [&](storage::Transaction& tx) -> Result<void> {
    TINHSO_RETURN_IF_ERROR(tx.Execute("UPDATE dossiers SET lookup_secret = 'K7M2QX' WHERE id = :id",
                                      {{"id", old->id}}));
    return Ok();
  });
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(svc.Lookup(old->code, "k7m2qx", "198.51.100.3").ok());
}

TEST_P(DossierServiceTest, PublicLookupNeedsCodeAndSecret) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(BirthRegistration(Channel::kCounter), Officer(commune_, {"reception"}, 11));
  ASSERT_TRUE(d.ok());
  auto view = svc.Lookup(d->code, d->lookup_secret);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->dossier.id, d->id);
  const auto events = boost::json::parse(view->events_json).as_array();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].at("action"), "submit");
  EXPECT_EQ(events[1].at("action"), "accept");
  EXPECT_EQ(events[1].at("status"), 2);
  EXPECT_EQ(events[1].at("status_name"), "Được tiếp nhận");
  EXPECT_FALSE(events[1].at("agency_name").as_string().empty());
  // Who did it and the internal deadlines are not public.
  EXPECT_FALSE(events[1].as_object().contains("actor_name"));
  EXPECT_FALSE(events[1].as_object().contains("step_due_at"));
  std::string lower = d->lookup_secret;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_TRUE(svc.Lookup(d->code, lower).ok());  // typed in lower case
  auto wrong = svc.Lookup(d->code, "AAAAAA");
  auto unknown = svc.Lookup("H55-000000-0001", d->lookup_secret);
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  // The same answer either way: no way to learn which codes exist.
  EXPECT_EQ(wrong.error().reason, unknown.error().reason);
  EXPECT_EQ(wrong.error().message_en, unknown.error().message_en);

  // Without blocking (PostgreSQL's pipelines), the same answers.
  auto later = LookupAndWait(svc, d->code, lower);
  ASSERT_TRUE(later.ok()) << later.error().detail;
  EXPECT_EQ(later->dossier.id, d->id);
  EXPECT_EQ(later->dossier.status, view->dossier.status);
  EXPECT_EQ(later->dossier.procedure_name, view->dossier.procedure_name);
  EXPECT_EQ(later->events_json, view->events_json);
  for (auto [code, secret] : {std::pair<std::string, std::string>{d->code, "AAAAAA"},
                              {"H55-000000-0001", d->lookup_secret},
                              {"", d->lookup_secret},
                              {d->code, std::string(40, 'A')}}) {
    auto refused = LookupAndWait(svc, code, secret);
    ASSERT_FALSE(refused.ok()) << code << " " << secret;
    EXPECT_EQ(refused.error().reason, "dossier.lookup_failed");
  }
}

TEST_P(DossierServiceTest, StatisticsCountWhatHappened) {
  auto& svc = app_->dossiers();
  const auto reception = Officer(commune_, {"reception"}, 11);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(svc.Submit(BirthRegistration(Channel::kCounter), reception).ok());
  }
  auto online = svc.Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(svc.Transition(online->id, Act("accept", online->version), reception).ok());
  StatsQuery q;
  q.from = At("2026-11-01T00:00");
  q.to = At("2026-12-01T00:00");
  q.group_by = "channel";
  auto stats = svc.Statistics(q, Officer(province_, {"leader"}, 99));
  ASSERT_TRUE(stats.ok()) << stats.error().message_en;
  EXPECT_EQ(stats->total.received, 4);
  EXPECT_EQ(stats->total.in_progress, 4);
  EXPECT_EQ(stats->total.online, 1);
  ASSERT_EQ(stats->rows.size(), 2u);
  // Past the appointment (Tuesday 17:00) they are overdue.
  clock_.Set(At("2026-11-25T08:00"));
  stats = svc.Statistics(q, Officer(province_, {"leader"}, 99));
  EXPECT_EQ(stats->total.overdue, 4);
  // A citizen sees no statistics.
  EXPECT_EQ(svc.Statistics(q, Citizen()).error().code, ErrorCode::kPermissionDenied);
}

// Each figure has one definition (FinishStatsRow): the parts add up to what was received, a
// withdrawn dossier sits in neither side of the on-time rate, and the list behind "overdue"
// holds exactly the dossiers the figure counts.
TEST_P(DossierServiceTest, StatisticsPartsAddUpAndTheListsMatchTheFigures) {
  auto& svc = app_->dossiers();
  const auto reception = Officer(commune_, {"reception"}, 11);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(svc.Submit(BirthRegistration(Channel::kCounter), reception).ok());
  }
  auto online = svc.Submit(BirthRegistration(), Citizen());
  auto accepted = svc.Transition(online->id, Act("accept", online->version), reception);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message_en;
  ASSERT_TRUE(svc.Transition(online->id, Act("withdraw", accepted->version), Citizen()).ok());
  // Asked twice to supplement: overdue although its appointment is still ahead.
  auto d = svc.Submit(CriminalRecord(), Citizen());
  auto a = svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(a.ok()) << a.error().message_en;
  const auto officer = Officer(justice_, {"officer"}, 21);
  auto ask = Act("request_supplement", a->version);
  ask.items = {"Ảnh chân dung"};
  auto waiting = svc.Transition(d->id, ask, officer);
  ASSERT_TRUE(waiting.ok()) << waiting.error().message_en;
  auto give = Act("supplement", waiting->version);
  give.files = {{"TP1", "cccd.pdf", Pdf("cccd")}};
  auto resumed = svc.Transition(d->id, give, Citizen());
  ASSERT_TRUE(resumed.ok()) << resumed.error().message_en;
  ask.version = resumed->version;
  ASSERT_TRUE(svc.Transition(d->id, ask, officer).ok());

  StatsQuery q;
  q.from = At("2026-11-01T00:00");
  q.to = At("2026-12-01T00:00");
  const auto leader = Officer(province_, {"leader"}, 99);
  auto stats = svc.Statistics(q, leader);
  ASSERT_TRUE(stats.ok()) << stats.error().message_en;
  const StatsRow& t = stats->total;
  EXPECT_EQ(t.received, 4);
  EXPECT_EQ(t.closed, 1);
  EXPECT_EQ(t.in_progress, 3);
  EXPECT_EQ(t.overdue, 1);
  EXPECT_EQ(t.received, t.done + t.in_progress + t.closed);
  EXPECT_EQ(t.in_progress, t.undue + t.overdue);
  EXPECT_DOUBLE_EQ(t.on_time_ratio, 2.0 / 3.0);
  StatsRow sum;
  for (const StatsRow& r : stats->rows) {
    sum.received += r.received;
    sum.in_progress += r.in_progress;
    sum.overdue += r.overdue;
    sum.closed += r.closed;
    EXPECT_EQ(r.received, r.done + r.in_progress + r.closed) << r.key;
  }
  EXPECT_EQ(sum.received, t.received);
  EXPECT_EQ(sum.in_progress, t.in_progress);
  EXPECT_EQ(sum.overdue, t.overdue);
  EXPECT_EQ(sum.closed, t.closed);
  // One group, one row: the same rate as the total.
  q.group_by = "total";
  auto whole = svc.Statistics(q, leader);
  ASSERT_EQ(whole->rows.size(), 1u);
  EXPECT_DOUBLE_EQ(whole->rows[0].on_time_ratio, t.on_time_ratio);

  ListQuery list;
  list.received_from = q.from;
  list.received_to = q.to;
  list.overdue_only = true;
  auto overdue = svc.List(list, leader);
  ASSERT_TRUE(overdue.ok()) << overdue.error().message_en;
  EXPECT_EQ(overdue->total, t.overdue);
  // Every figure has its definition, worded in both languages.
  for (std::string_view key :
       {"received", "done", "in_progress", "overdue", "closed", "on_time_ratio", "online_share"}) {
    auto it = std::ranges::find(StatsDefinitions(), key, &StatsDefinition::key);
    ASSERT_NE(it, StatsDefinitions().end()) << key;
    EXPECT_FALSE(it->text.empty() || it->text_en.empty()) << key;
  }
}

TEST_P(DossierServiceTest, WorkQueuesCountAndListWhatWaitsAtTheAgency) {
  auto& svc = app_->dossiers();
  const auto reception = Officer(commune_, {"reception"}, 11);
  const auto officer = Officer(commune_, {"officer"}, 12);
  auto counts = [&](const core::Actor& actor) {
    std::map<std::string, std::int64_t> out;
    auto queues = svc.Queues(actor);
    EXPECT_TRUE(queues.ok()) << queues.error().message_en << " " << queues.error().detail;
    if (queues.ok()) {
      for (const QueueCount& q : *queues) out[q.key] = q.count;
    }
    return out;
  };
  auto listed = [&](std::string_view queue, const core::Actor& actor) {
    ListQuery q;
    q.queue = std::string(queue);
    auto page = svc.List(q, actor);
    EXPECT_TRUE(page.ok()) << page.error().message_en;
    return page.ok() ? page->total : -1;
  };
  auto a = svc.Submit(BirthRegistration(), Citizen());
  auto b = svc.Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(counts(reception)["receive"], 2);
  EXPECT_EQ(counts(Officer(other_commune_, {"reception"}, 13))["receive"], 0)
      << "another commune's desk sees none of them";

  // Accepted on Monday 09:00 (due Tuesday 17:00): at the officer's step, due soon.
  auto accepted = svc.Transition(a->id, Act("accept", a->version), reception);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message_en;
  auto c = counts(officer);
  EXPECT_EQ(c["receive"], 1);
  EXPECT_EQ(c["processing"], 1);
  EXPECT_EQ(c["approve"], 0);
  EXPECT_EQ(c["due_soon"], 1);
  EXPECT_EQ(c["overdue"], 0);
  EXPECT_EQ(listed("processing", officer), 1);

  // Forwarded to the leader's step (phe_duyet): the approve queue.
  auto forwarded = svc.Transition(a->id, Act("forward", accepted->version), officer);
  ASSERT_TRUE(forwarded.ok()) << forwarded.error().message_en;
  EXPECT_EQ(forwarded->step_code, "phe_duyet");
  c = counts(officer);
  EXPECT_EQ(c["processing"], 0);
  EXPECT_EQ(c["approve"], 1);
  EXPECT_EQ(listed("approve", officer), 1);

  // A procedure retired while its dossiers are in flight: they stay in the queues they are in.
  auto catalog = app_->catalog().Export();
  ASSERT_TRUE(catalog.ok());
  for (catalog::Procedure& p : catalog->procedures) {
    if (p.code == a->procedure_code) p.active = false;
  }
  ASSERT_TRUE(app_->catalog().Import(*catalog, core::SystemActor()).ok());
  c = counts(officer);
  EXPECT_EQ(c["processing"], 0);
  EXPECT_EQ(c["approve"], 1);

  // Past the appointment it is overdue and no longer "due soon".
  clock_.Set(At("2026-11-25T08:00"));
  c = counts(officer);
  EXPECT_EQ(c["overdue"], 1);
  EXPECT_EQ(c["due_soon"], 0);
  EXPECT_EQ(listed("overdue", officer), 1);

  // An unknown queue is a clear error; a citizen has no queues.
  ListQuery bad;
  bad.queue = "inbox";
  EXPECT_EQ(svc.List(bad, officer).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(svc.Queues(Citizen()).error().code, ErrorCode::kPermissionDenied);
}

TEST_P(DossierServiceTest, ListsAreScopedAndFiltered) {
  auto& svc = app_->dossiers();
  ASSERT_TRUE(
      svc.Submit(BirthRegistration(Channel::kCounter), Officer(commune_, {"reception"}, 11)).ok());
  auto in = BirthRegistration(Channel::kCounter);
  in.locality_code = "H55.60.02";
  ASSERT_TRUE(svc.Submit(in, Officer(other_commune_, {"reception"}, 12)).ok());
  ASSERT_TRUE(svc.Submit(BirthRegistration(), Citizen()).ok());
  ListQuery q;
  auto own = svc.List(q, Officer(commune_, {"officer"}, 13));
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->total, 2);  // the counter one and the online one, not the other commune's
  auto mine = svc.List(q, Citizen());
  EXPECT_EQ(mine->total, 1);
  auto all = svc.List(q, Officer(province_, {"leader"}, 99));
  EXPECT_EQ(all->total, 3);
  q.statuses = {Status::kRegistered};
  EXPECT_EQ(svc.List(q, Officer(province_, {"leader"}, 99))->total, 1);
  // Windows: the two counter dossiers were received today and are due tomorrow at 17:00.
  q = {};
  q.received_from = At("2026-11-23T00:00");
  q.received_to = At("2026-11-24T00:00");
  EXPECT_EQ(svc.List(q, Officer(province_, {"leader"}, 99))->total, 2);
  q.due_to = At("2026-11-24T17:00");
  EXPECT_EQ(svc.List(q, Officer(province_, {"leader"}, 99))->total, 0);
  q.due_to = At("2026-11-24T17:01");
  EXPECT_EQ(svc.List(q, Officer(province_, {"leader"}, 99))->total, 2);
  // Drill-down filters: several statuses, channel, competent agency (as statistics group),
  // outcome.
  const auto leader = Officer(province_, {"leader"}, 99);
  q = {};
  q.statuses = {Status::kRegistered, Status::kReceived};
  EXPECT_EQ(svc.List(q, leader)->total, 3);
  q.statuses = {Status::kReturned, Status::kRegistered};
  EXPECT_EQ(svc.List(q, leader)->total, 1);
  q = {};
  q.channel = Channel::kOnline;
  EXPECT_EQ(svc.List(q, leader)->total, 1);
  q.channel = Channel::kCounter;
  EXPECT_EQ(svc.List(q, leader)->total, 2);
  q = {};
  q.competent_agency_id = other_commune_;
  EXPECT_EQ(svc.List(q, leader)->total, 1);
  q = {};
  q.outcome = "on_time";
  EXPECT_EQ(svc.List(q, leader)->total, 0) << "nothing has finished yet";
  q.outcome = "soon";
  EXPECT_EQ(svc.List(q, leader).error().reason, "request.invalid_query");
  q = {};
  q.sort = "bogus";
  EXPECT_EQ(svc.List(q, Citizen()).error().reason, "request.invalid_query");
}

// The search text's own "%" and "_" match only themselves: they used to be LIKE wildcards, so
// "%" listed every dossier and "_" any name of one letter or more.
TEST_P(DossierServiceTest, SearchingForAWildcardMatchesOnlyNamesHoldingIt) {
  auto& svc = app_->dossiers();
  for (const char* name : {"Nguyễn Văn An", "Trần_Thị Bình", "Lê 100% Cường"}) {
    auto in = BirthRegistration(Channel::kCounter);
    in.applicant.name = name;
    ASSERT_TRUE(svc.Submit(in, Officer(commune_, {"reception"}, 11)).ok()) << name;
  }
  const auto leader = Officer(province_, {"leader"}, 99);
  auto names = [&](std::string text) {
    ListQuery q;
    q.q = std::move(text);
    auto page = svc.List(q, leader);
    EXPECT_TRUE(page.ok());
    std::vector<std::string> out;
    if (page.ok()) {
      for (const Dossier& d : page->items) out.push_back(d.applicant.name);
    }
    return out;
  };
  EXPECT_EQ(names("%"), std::vector<std::string>{"Lê 100% Cường"});
  EXPECT_EQ(names("_"), std::vector<std::string>{"Trần_Thị Bình"});
  EXPECT_EQ(names("0%"), std::vector<std::string>{"Lê 100% Cường"});
  EXPECT_TRUE(names("\\").empty());
  EXPECT_EQ(names("Bình"), std::vector<std::string>{"Trần_Thị Bình"});
}

TEST_P(DossierServiceTest, ConsultationHasItsOwnDeadlineAndBlocksTheResult) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d.ok());
  auto a = svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(a.ok());
  auto ask = Act("consult", a->version);
  ask.agency_code = "H55.60.01";
  ask.note = "Đề nghị xác nhận nơi cư trú của người yêu cầu";
  auto asked = svc.Transition(d->id, ask, Officer(justice_, {"officer"}, 21));
  ASSERT_TRUE(asked.ok()) << asked.error().message_en;
  auto events = svc.Timeline(d->id, Citizen());
  ASSERT_EQ(events->back().action, "consult");
  // Default deadline: three working days (Monday 09:00 → Thursday 17:00).
  EXPECT_NE(events->back().content.find("26/11/2026 17:00"), std::string::npos)
      << events->back().content;
  // The result cannot be issued while the commune has not answered.
  auto early =
      svc.Transition(d->id, Act("issue_result", asked->version), Officer(justice_, {"leader"}, 22));
  EXPECT_EQ(early.error().reason, "dossier.consultation_open");
  // Only the consulted agency answers.
  auto answer = Act("answer_consultation", asked->version);
  {
    auto tx = db().Begin(storage::TxKind::kReadOnly);
    auto rows =
        (*tx)->Query("SELECT id FROM dossier_consultations WHERE dossier_id = :d", {{"d", d->id}});
    ASSERT_TRUE(rows.ok() && rows->size() == 1);
    answer.consultation_id = (*rows)[0].Int(0);
  }
  // The consult event names the consultation, so that the consulted agency can answer it.
  EXPECT_EQ(events->back().consultation_id, answer.consultation_id);
  EXPECT_EQ(events->back().consulted_agency_id, commune_);
  EXPECT_EQ(events->back().items, std::vector<std::string>{ask.note}) << "the question";
  // The commune finds it in its "consult" queue and in its lists.
  const auto commune_officer = Officer(commune_, {"officer"}, 32);
  {
    auto queues = svc.Queues(commune_officer);
    ASSERT_TRUE(queues.ok()) << queues.error().detail;
    EXPECT_EQ(queues->back().key, "consult");
    EXPECT_EQ(queues->back().count, 1);
    ListQuery q;
    q.queue = "consult";
    EXPECT_EQ(svc.List(q, commune_officer)->total, 1);
    EXPECT_EQ(svc.List({}, Officer(other_commune_, {"officer"}, 31))->total, 0)
        << "an agency not asked sees nothing";
  }
  answer.note = "Xác nhận cư trú tại xã Chợ Đồn";
  EXPECT_FALSE(svc.Transition(d->id, answer, Officer(other_commune_, {"officer"}, 31)).ok());
  auto answered = svc.Transition(d->id, answer, Officer(commune_, {"officer"}, 32));
  ASSERT_TRUE(answered.ok()) << answered.error().message_en;
  auto after = svc.Timeline(d->id, Officer(commune_, {"officer"}, 32));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->back().action, "answer_consultation");
  EXPECT_EQ(after->back().consultation_id, answer.consultation_id) << "which one it answers";
  EXPECT_EQ(after->back().items, std::vector<std::string>{answer.note});
  EXPECT_EQ(svc.Queues(Officer(commune_, {"officer"}, 32))->back().count, 0) << "answered";
  auto done = svc.Transition(d->id, Act("issue_result", answered->version),
                             Officer(justice_, {"leader"}, 22));
  EXPECT_TRUE(done.ok()) << done.error().message_en;
}

// An answer that names no consultation answers the one open for the answering agency; with
// several open, the refusal says which. (It used to say none was open.)
TEST_P(DossierServiceTest, AnswerWithoutConsultationIdTakesTheOneOpenForTheAgency) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  auto at = svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(at.ok()) << at.error().message_en;
  const auto justice = Officer(justice_, {"officer"}, 21);
  const auto commune = Officer(commune_, {"officer"}, 32);
  auto consult = [&](const Dossier& seen) -> Dossier {
    auto ask = Act("consult", seen.version);
    ask.agency_code = "H55.60.01";
    auto asked = svc.Transition(d->id, ask, justice);
    EXPECT_TRUE(asked.ok()) << asked.error().message_en;
    return asked.ok() ? *asked : seen;
  };
  auto last_consultation = [&]() {
    auto events = svc.Timeline(d->id, justice);
    return events.ok() ? events->back().consultation_id : 0;
  };

  Dossier seen = consult(*at);
  const std::int64_t first = last_consultation();
  auto answer = Act("answer_consultation", seen.version);
  answer.note = "Xác nhận cư trú";
  auto answered = svc.Transition(d->id, answer, commune);
  ASSERT_TRUE(answered.ok()) << answered.error().message_en;
  EXPECT_EQ(last_consultation(), first) << "the answer names the consultation it answers";
  // Nothing open any more: the answer is refused as before.
  answer.version = answered->version;
  EXPECT_EQ(svc.Transition(d->id, answer, commune).error().reason, "dossier.consultation_not_open");

  // Two open for the commune: it must say which, and is told the ids.
  seen = consult(*answered);
  const std::int64_t second = last_consultation();
  seen = consult(seen);
  const std::int64_t third = last_consultation();
  answer.version = seen.version;
  auto which = svc.Transition(d->id, answer, commune);
  ASSERT_FALSE(which.ok());
  EXPECT_EQ(which.error().reason, "dossier.consultation_ambiguous");
  for (const std::string& text : {which.error().message_vi, which.error().message_en}) {
    EXPECT_NE(text.find(std::to_string(second)), std::string::npos) << text;
    EXPECT_NE(text.find(std::to_string(third)), std::string::npos) << text;
  }
  answer.consultation_id = third;
  auto one = svc.Transition(d->id, answer, commune);
  ASSERT_TRUE(one.ok()) << one.error().message_en;
  answer.consultation_id = 0;
  answer.version = one->version;
  ASSERT_TRUE(svc.Transition(d->id, answer, commune).ok());
  EXPECT_EQ(last_consultation(), second);
}

TEST_P(DossierServiceTest, FormsArePdfsAndRefuseWhatDidNotHappen) {
  auto& svc = app_->dossiers();
  const auto reception = Officer(commune_, {"reception"}, 11);
  auto d = svc.Submit(BirthRegistration(Channel::kCounter), reception);
  ASSERT_TRUE(d.ok());
  for (const char* form : {"receipt", "control"}) {
    auto pdf = svc.Form(d->id, form, reception);
    ASSERT_TRUE(pdf.ok()) << form << ": " << pdf.error().message_en;
    EXPECT_TRUE(pdf->starts_with("%PDF-")) << form;
  }
  // No apology, rejection or supplement request happened: those forms do not exist yet.
  for (const char* form : {"apology", "rejection", "completion"}) {
    EXPECT_EQ(svc.Form(d->id, form, reception).error().reason, "dossier.form_not_applicable")
        << form;
  }
  EXPECT_EQ(svc.Form(d->id, "mau-99", reception).error().reason, "dossier.form_unknown");
  auto book = svc.TrackingBook(commune_, At("2026-11-01T00:00"), At("2026-12-01T00:00"), reception);
  ASSERT_TRUE(book.ok()) << book.error().message_en;
  EXPECT_TRUE(book->starts_with("%PDF-"));
  // Another commune's book is not this officer's to read.
  EXPECT_EQ(
      svc.TrackingBook(other_commune_, At("2026-11-01T00:00"), At("2026-12-01T00:00"), reception)
          .error()
          .code,
      ErrorCode::kPermissionDenied);
}

TEST_P(DossierServiceTest, StatisticsFromMonthlyCountersMatchTheDossiers) {
  // A year of demo dossiers, then live ones on top; a window with partial months at both ends
  // must give exactly what counting the dossiers gives.
  auto loaded = LoadDemo(db(), app_->agencies(), app_->catalog(), app_->calendar().Working(),
                         clock_.Now(), 3000, 7, {});
  ASSERT_TRUE(loaded.ok()) << loaded.error().message_en;
  EXPECT_GT(loaded->dossiers, 2900);
  ASSERT_TRUE(
      app_->dossiers()
          .Submit(BirthRegistration(Channel::kCounter), Officer(commune_, {"reception"}, 11))
          .ok());
  StatsQuery q;
  q.from = At("2026-02-10T10:00");
  q.to = At("2026-11-23T12:00");
  q.group_by = "procedure";
  auto stats = app_->dossiers().Statistics(q, Officer(province_, {"leader"}, 99));
  ASSERT_TRUE(stats.ok()) << stats.error().message_en;
  auto tx = db().Begin(storage::TxKind::kReadOnly);
  auto rows = (*tx)->Query(
      "SELECT COUNT(*), SUM(CASE WHEN outcome = 'early' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN outcome = 'on_time' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN outcome = 'late' THEN 1 ELSE 0 END), SUM(CASE WHEN channel = 2 THEN 1 ELSE 0 "
      "END), SUM(paid_online), SUM(CASE WHEN status IN (2, 4, 5, 6) THEN 1 ELSE 0 END) "
      "FROM dossiers WHERE received_at >= :from AND received_at < :to",
      {{"from", q.from.time_since_epoch().count()}, {"to", q.to.time_since_epoch().count()}});
  ASSERT_TRUE(rows.ok());
  const auto& r = (*rows)[0];
  EXPECT_GT(r.Int(0), 1500);
  EXPECT_EQ(stats->total.received, r.Int(0));
  EXPECT_EQ(stats->total.done_early, r.Int(1));
  EXPECT_EQ(stats->total.done_on_time, r.Int(2));
  EXPECT_EQ(stats->total.done_late, r.Int(3));
  EXPECT_EQ(stats->total.online, r.Int(4));
  EXPECT_EQ(stats->total.paid_online, r.Int(5));
  EXPECT_EQ(stats->total.in_progress, r.Int(6));
  EXPECT_EQ(stats->rows.size(), 2u);  // both procedures of the test catalog
  // By month: the first and last months are partial, the ones between whole.
  q.group_by = "month";
  auto months = app_->dossiers().Statistics(q, Officer(province_, {"leader"}, 99));
  ASSERT_TRUE(months.ok());
  EXPECT_EQ(months->rows.front().key, "2026-02");
  EXPECT_EQ(months->rows.back().key, "2026-11");
  EXPECT_EQ(months->total.received, r.Int(0));
}

// A provincial procedure whose workflow asks the applicant's commune (as 1.004253 does): demo
// dossiers of it get a commune, those at the commune's step are held by that commune, and a
// supplement can be asked on them (it failed with dossier.locality_required).
TEST_P(DossierServiceTest, DemoDossiersOfAProcedureWithACommuneStepHaveTheirCommune) {
  auto parsed = catalog::Parse(R"({
"sectors": [{"code": "tu_phap", "name": "Sở Tư pháp", "agency_code": "H55.03"}],
"procedures": [
 {"code": "9.000001", "name": "Cấp giấy phép có ý kiến của xã", "name_en": "Permit",
  "field": {"code": "MT", "name": "Môi trường"}, "level": "province",
  "competent": {"kind": "department", "sector": "tu_phap"},
  "online_level": "full", "processing_time": {"value": 10, "unit": "working_days"},
  "fees": [], "components": [{"code": "TP1", "name": "Đơn", "originals": 1, "certified": 0,
                              "copies": 0, "required": true, "file_types": ["pdf"]}],
  "form": [], "results": ["Giấy phép"], "legal_basis": ["Luật"],
  "steps": [{"code": "tiep_nhan", "name": "Tiếp nhận", "role": "reception",
             "agency": {"kind": "receiving"}, "share": 0.1},
            {"code": "lay_y_kien", "name": "Lấy ý kiến xã", "role": "officer",
             "agency": {"kind": "commune"}, "share": 0.4},
            {"code": "xu_ly", "name": "Xử lý", "role": "officer",
             "agency": {"kind": "competent"}, "share": 0.4},
            {"code": "tra_ket_qua", "name": "Trả kết quả", "role": "reception",
             "agency": {"kind": "receiving"}, "share": 0.1}]}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message_en << "\n" << parsed.error().detail;
  EXPECT_TRUE(parsed->procedures[0].NeedsCommune());
  ASSERT_TRUE(app_->catalog().Import(*parsed, core::SystemActor()).ok());
  ASSERT_TRUE(LoadDemo(db(), app_->agencies(), app_->catalog(), app_->calendar().Working(),
                       clock_.Now(), 2000, 11, {})
                  .ok());

  std::int64_t at_commune = 0;
  {
    auto tx = db().Begin(storage::TxKind::kReadOnly);
    ASSERT_TRUE(tx.ok());
    auto rows = (*tx)->Query(
        "SELECT id, locality_agency_id, current_agency_id, step_code, status FROM dossiers "
        "WHERE procedure_code = '9.000001' ORDER BY id");
    ASSERT_TRUE(rows.ok());
    ASSERT_GT(rows->size(), 100u);
    for (const auto& r : *rows) {
      ASSERT_FALSE(r.IsNull(1)) << "dossier " << r.Int(0) << " has no commune";
      EXPECT_TRUE(r.Int(1) == commune_ || r.Int(1) == other_commune_) << r.Int(1);
      if (r.Text(3) == "lay_y_kien" && r.Int(4) == 4) {
        EXPECT_EQ(r.Int(2), r.Int(1)) << "held by its commune at the commune's step";
        at_commune = r.Int(0);
      }
    }
  }
  ASSERT_NE(at_commune, 0) << "no demo dossier waits at the commune's step";
  auto& svc = app_->dossiers();
  auto d = svc.Get(at_commune, Officer(province_, {"leader"}, 99));
  ASSERT_TRUE(d.ok());
  auto ask = Act("request_supplement", d->version);
  ask.items = {"Bản đồ khu đất"};
  auto asked = svc.Transition(at_commune, ask, Officer(d->current_agency_id, {"officer"}, 41));
  EXPECT_TRUE(asked.ok()) << asked.error().reason << ": " << asked.error().message_en;
}

// The lookup reads the timeline kept on the dossier row; dossiers written before that column
// existed (NULL) are rendered from their events. Both must give the same text, for dossiers
// that went through the service and for demo ones.
TEST_P(DossierServiceTest, PublicTimelineOnTheRowMatchesTheEvents) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d.ok());
  auto a = svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(a.ok());
  auto ask = Act("request_supplement", a->version);
  ask.items = {"Bản sao \"căn cước\" công dân"};  // quotes in the text stay valid JSON
  auto waiting = svc.Transition(d->id, ask, Officer(justice_, {"officer"}, 21));
  ASSERT_TRUE(waiting.ok()) << waiting.error().message_en;
  ASSERT_TRUE(LoadDemo(db(), app_->agencies(), app_->catalog(), app_->calendar().Working(),
                       clock_.Now(), 20, 3, {})
                  .ok());

  auto tx = db().Begin(storage::TxKind::kReadOnly);
  ASSERT_TRUE(tx.ok());
  auto rows = (*tx)->Query(
      "SELECT id, code, lookup_secret FROM dossiers WHERE code IS NOT NULL ORDER BY id", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_GE(rows->size(), 20u);
  (void)(*tx)->Commit();
  std::map<std::int64_t, std::string> kept;
  for (const auto& r : *rows) {
    auto view = svc.Lookup(r.Text(1), r.Text(2));
    ASSERT_TRUE(view.ok()) << r.Text(1);
    kept[r.Int(0)] = view->events_json;
  }
  const auto mine = boost::json::parse(kept.at(d->id)).as_array();
  ASSERT_EQ(mine.size(), 3u);
  EXPECT_EQ(mine[2].at("action"), "request_supplement");
  EXPECT_EQ(mine[2].at("status"), static_cast<int>(Status::kSupplement));

  auto wtx = db().Begin(storage::TxKind::kReadWrite);
  ASSERT_TRUE(wtx.ok());
  ASSERT_TRUE((*wtx)->Execute("UPDATE dossiers SET public_timeline = NULL", {}).ok());
  ASSERT_TRUE((*wtx)->Commit().ok());
  for (const auto& r : *rows) {
    auto view = svc.Lookup(r.Text(1), r.Text(2));
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->events_json, kept[r.Int(0)]) << r.Text(1);
    auto later = LookupAndWait(svc, r.Text(1), r.Text(2));  // its second read, chained
    ASSERT_TRUE(later.ok()) << later.error().detail;
    EXPECT_EQ(later->events_json, kept[r.Int(0)]) << r.Text(1);
  }
}

TINHSO_INSTANTIATE_BACKENDS(DossierServiceTest);

}  // namespace
}  // namespace tinhso::dossiers::test
