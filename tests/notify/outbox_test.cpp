// The outbox on both backends: enqueue inside the caller's transaction, idempotency,
// preferences and the daily cap, leases, retries with backoff, receipts, templates as data.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "core/text.hpp"
#include "notify/fixture.hpp"

namespace tinhso::notify {
namespace {

using test::At;
using test::kStart;
using test::RecordingSender;

class OutboxTest : public test::OutboxFixture {};

std::map<Channel, Message> ByChannel(const std::vector<Message>& ms) {
  std::map<Channel, Message> out;
  for (const Message& m : ms) out[m.channel] = m;
  return out;
}

TEST_P(OutboxTest, EnqueueWritesOneRenderedMessagePerChannel) {
  auto ms = ByChannel(MustEnqueue(Accepted(), Citizen()));
  ASSERT_EQ(ms.size(), 3u);
  const Message& email = ms[Channel::kEmail];
  EXPECT_EQ(email.status, Status::kQueued);
  EXPECT_EQ(email.address, "hoa.nguyen@example.vn");
  EXPECT_EQ(email.subject, "Hồ sơ H55.60.01-260310-0001 đã được tiếp nhận");
  EXPECT_NE(email.body.find("Ngày hẹn trả kết quả: 24/03/2026."), std::string::npos);
  EXPECT_EQ(email.dossier_id, std::optional<std::int64_t>(42));
  EXPECT_EQ(email.next_attempt_at, At(kStart));
  const Message& sms = ms[Channel::kSms];
  EXPECT_EQ(sms.address, "0912345678");
  EXPECT_EQ(sms.body,
            "Hồ sơ H55.60.01-260310-0001 đã được tiếp nhận. Hẹn trả kết quả ngày 24/03/2026.");
  EXPECT_EQ(sms.segments, 2);  // 79 characters in UCS-2
  // In-app: delivered by being listed.
  const Message& inapp = ms[Channel::kInApp];
  EXPECT_EQ(inapp.status, Status::kDelivered);
  EXPECT_EQ(inapp.subject, email.subject);
  auto listed = outbox().ListInApp(501);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].body, sms.body);
  ASSERT_TRUE(outbox().MarkRead(501, inapp.id).ok());
  EXPECT_TRUE(outbox().Get(inapp.id)->read_at.has_value());
}

TEST_P(OutboxTest, EnqueueCommitsOrRollsBackWithTheCallersTransaction) {
  {
    auto tx = db().Begin();
    ASSERT_TRUE(tx.ok());
    auto ms = outbox().Enqueue(**tx, Accepted(), Citizen());
    ASSERT_TRUE(ms.ok());
    EXPECT_EQ(ms->size(), 3u);
    // destroyed without Commit: rolled back, as the dossier change it belongs to
  }
  EXPECT_TRUE(outbox().ListForDossier(42)->empty());
  MustEnqueue(Accepted(), Citizen());
  EXPECT_EQ(outbox().ListForDossier(42)->size(), 3u);
}

TEST_P(OutboxTest, TheSameEventTwiceMakesOneMessagePerChannel) {
  auto first = MustEnqueue(Accepted(), Citizen());
  auto again = MustEnqueue(Accepted(), Citizen());
  ASSERT_EQ(again.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(first[i].id, again[i].id);
  EXPECT_EQ(outbox().ListForDossier(42)->size(), 3u);
  MustEnqueue(Accepted("dossier-42-event-8"), Citizen());  // another event: new messages
  EXPECT_EQ(outbox().ListForDossier(42)->size(), 6u);
}

TEST_P(OutboxTest, UnknownEventsAndPlaceholdersAreErrors) {
  Event e = Accepted();
  e.values.erase("appointment_date");
  auto tx = db().Begin();
  ASSERT_TRUE(tx.ok());
  auto r = outbox().Enqueue(**tx, e, Citizen());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "notify.unknown_placeholder");
  EXPECT_NE(r.error().message_en.find("appointment_date"), std::string::npos);
  e = Accepted();
  e.template_key = "khong_co";
  EXPECT_EQ(outbox().Enqueue(**tx, e, Citizen()).error().reason, "notify.unknown_event");
}

TEST_P(OutboxTest, ATurnedOffChannelIsRecordedAsSuppressed) {
  ASSERT_TRUE(outbox().SetPreference(501, Channel::kSms, false).ok());
  auto prefs = outbox().Preferences(501);
  ASSERT_TRUE(prefs.ok());
  EXPECT_FALSE((*prefs)[Channel::kSms]);
  EXPECT_TRUE((*prefs)[Channel::kEmail]);
  auto ms = ByChannel(MustEnqueue(Accepted(), Citizen()));
  EXPECT_EQ(ms[Channel::kSms].status, Status::kSuppressed);
  EXPECT_NE(ms[Channel::kSms].last_error.find("preference"), std::string::npos);
  EXPECT_EQ(ms[Channel::kEmail].status, Status::kQueued);
  RecordingSender email, sms;
  auto report = outbox().DeliverDue({&email, &sms});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->sent, 1);
  EXPECT_TRUE(sms.sent().empty());
}

TEST_P(OutboxTest, TheDailyCapSuppressesBeyondItAndCountsAgainTheNextDay) {
  options_.daily_cap = 2;
  Recipient r = Citizen();
  r.user_id = 0;  // an address only
  r.phone.clear();
  for (int i = 0; i < 3; ++i) MustEnqueue(Accepted("e" + std::to_string(i)), r);
  auto all = outbox().ListForDossier(42);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].status, Status::kQueued);
  EXPECT_EQ((*all)[1].status, Status::kQueued);
  EXPECT_EQ((*all)[2].status, Status::kSuppressed);
  EXPECT_NE((*all)[2].last_error.find("daily cap"), std::string::npos);
  // Enqueuing a capped event again does not count it twice.
  MustEnqueue(Accepted("e2"), r);
  // 17:00 UTC is midnight in Vietnam: a new day.
  clock_.Set(At(kStart + 15 * 3600));
  auto next = MustEnqueue(Accepted("e3"), r);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].status, Status::kQueued);
}

TEST_P(OutboxTest, AClaimedMessageIsLeasedToOneWorkerUntilItsLeaseEnds) {
  options_.lease = std::chrono::seconds(300);
  auto ms = ByChannel(MustEnqueue(Accepted(), Citizen()));
  auto a = outbox().Claim("worker-a", 10);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->size(), 2u);  // e-mail and SMS; in-app is delivered already
  EXPECT_EQ((*a)[0].status, Status::kSending);
  EXPECT_EQ((*a)[0].attempts, 1);
  EXPECT_TRUE(outbox().Claim("worker-b", 10)->empty());
  // worker-a dies. When its lease ends, worker-b takes the messages over…
  clock_.Advance(std::chrono::seconds(300));
  auto b = outbox().Claim("worker-b", 10);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].attempts, 2);
  // …and worker-a's late outcome changes nothing.
  ASSERT_TRUE(outbox().Complete((*a)[0], Result<std::string>("late")).ok());
  EXPECT_EQ(outbox().Get((*a)[0].id)->status, Status::kSending);
  ASSERT_TRUE(outbox().Complete((*b)[0], Result<std::string>("p-1")).ok());
  auto done = outbox().Get((*b)[0].id);
  EXPECT_EQ(done->status, Status::kSent);
  EXPECT_EQ(done->provider_id, "p-1");
  EXPECT_EQ(done->sent_at, std::optional<core::Seconds>(clock_.Now()));
}

TEST_P(OutboxTest, ConcurrentWorkersNeverClaimTheSameMessage) {
  for (int i = 0; i < 20; ++i) {
    Recipient r;
    r.email = "nguoi" + std::to_string(i) + "@example.vn";
    MustEnqueue(Accepted("e" + std::to_string(i)), r);
  }
  std::mutex mu;
  std::vector<std::int64_t> claimed;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (;;) {
        auto got = outbox().Claim("w" + std::to_string(w), 3);
        ASSERT_TRUE(got.ok()) << got.error().reason << " " << got.error().detail;
        if (got->empty()) return;
        std::lock_guard lock(mu);
        for (const Message& m : *got) claimed.push_back(m.id);
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(claimed.size(), 20u);
  EXPECT_EQ(std::set<std::int64_t>(claimed.begin(), claimed.end()).size(), 20u);
}

TEST_P(OutboxTest, TransientErrorsRetryWithExponentialBackoffThenFail) {
  options_.max_attempts = 3;
  options_.first_retry = std::chrono::seconds(60);
  Recipient r;
  r.email = "hoa.nguyen@example.vn";
  const std::int64_t id = MustEnqueue(Accepted(), r)[0].id;
  RecordingSender email;
  const Error down =
      MakeError(ErrorCode::kUnavailable, "notify.smtp_unreachable",
                "Không kết nối được máy chủ thư.", "The mail server is unreachable.");
  for (int i = 0; i < 3; ++i) email.Then(down);

  auto report = outbox().DeliverDue({&email, nullptr});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->retried, 1);
  Message m = *outbox().Get(id);
  EXPECT_EQ(m.status, Status::kQueued);
  EXPECT_EQ(m.next_attempt_at, At(kStart + 60));
  EXPECT_NE(m.last_error.find("notify.smtp_unreachable"), std::string::npos);
  EXPECT_EQ(outbox().DeliverDue({&email, nullptr})->claimed, 0);  // not due yet

  clock_.Set(At(kStart + 60));
  ASSERT_TRUE(outbox().DeliverDue({&email, nullptr}).ok());
  m = *outbox().Get(id);
  EXPECT_EQ(m.next_attempt_at, At(kStart + 60 + 120));  // doubled

  clock_.Set(At(kStart + 180));
  report = outbox().DeliverDue({&email, nullptr});
  EXPECT_EQ(report->failed, 1);
  m = *outbox().Get(id);
  EXPECT_EQ(m.status, Status::kFailed);
  EXPECT_EQ(m.attempts, 3);
  EXPECT_NE(m.last_error.find("unreachable"), std::string::npos);
  EXPECT_EQ(email.sent().size(), 3u);
}

// A server without an SMTP server configured sends SMS and keeps e-mails queued, untouched,
// however long it runs: they go once a sender is there (they used to be claimed, "retried" with
// notify.no_sender and failed once their attempts were used up).
TEST_P(OutboxTest, AChannelWithoutASenderWaitsInTheQueue) {
  options_.max_attempts = 2;
  const std::vector<Message> made = MustEnqueue(Accepted(), Citizen());
  ASSERT_EQ(made[0].channel, Channel::kEmail);
  ASSERT_EQ(made[1].channel, Channel::kSms);
  RecordingSender sms;
  for (int day = 0; day < 3; ++day) {
    clock_.Set(At(kStart + day * 86400));
    auto report = outbox().DeliverDue({nullptr, &sms});
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->claimed, day == 0 ? 1 : 0);
  }
  Message email = *outbox().Get(made[0].id);
  EXPECT_EQ(email.status, Status::kQueued);
  EXPECT_EQ(email.attempts, 0);
  EXPECT_EQ(outbox().Get(made[1].id)->status, Status::kSent);

  RecordingSender mail;
  auto report = outbox().DeliverDue({&mail, &sms});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->sent, 1);
  EXPECT_EQ(outbox().Get(made[0].id)->status, Status::kSent);
}

TEST_P(OutboxTest, ARefusedAddressBouncesAtOnce) {
  Recipient r;
  r.email = "khong-ton-tai@example.vn";
  const std::int64_t id = MustEnqueue(Accepted(), r)[0].id;
  RecordingSender email;
  email.Then(MakeError(ErrorCode::kInvalidArgument, "notify.bounced", "Địa chỉ không tồn tại.",
                       "No such address.", "550 5.1.1 user unknown"));
  ASSERT_TRUE(outbox().DeliverDue({&email, nullptr}).ok());
  const Message m = *outbox().Get(id);
  EXPECT_EQ(m.status, Status::kBounced);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_NE(m.last_error.find("550 5.1.1"), std::string::npos);
}

TEST_P(OutboxTest, AnInterruptedLastAttemptEndsFailedNotForever) {
  options_.max_attempts = 1;
  Recipient r;
  r.email = "hoa.nguyen@example.vn";
  const std::int64_t id = MustEnqueue(Accepted(), r)[0].id;
  ASSERT_EQ(outbox().Claim("dies", 10)->size(), 1u);
  clock_.Advance(options_.lease);
  EXPECT_TRUE(outbox().Claim("next", 10)->empty());
  EXPECT_EQ(outbox().Get(id)->status, Status::kFailed);
}

TEST_P(OutboxTest, ReceiptsMarkDeliveredByProviderOrStableId) {
  Recipient r = Citizen();
  auto ms = ByChannel(MustEnqueue(Accepted(), r));
  RecordingSender email, sms;
  sms.Then(std::string("gw-77"));
  ASSERT_TRUE(outbox().DeliverDue({&email, &sms}).ok());
  ASSERT_TRUE(outbox().RecordReceipt("gw-77", Status::kDelivered).ok());
  EXPECT_EQ(outbox().Get(ms[Channel::kSms].id)->status, Status::kDelivered);
  EXPECT_TRUE(outbox().Get(ms[Channel::kSms].id)->delivered_at.has_value());
  ASSERT_TRUE(
      outbox().RecordReceipt(StableId(ms[Channel::kEmail].id), Status::kBounced, "5.1.1").ok());
  EXPECT_EQ(outbox().Get(ms[Channel::kEmail].id)->status, Status::kBounced);
  EXPECT_EQ(outbox().RecordReceipt("gw-0", Status::kDelivered).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(outbox().RecordReceipt("gw-77", Status::kSent).error().reason, "notify.bad_receipt");
}

TEST_P(OutboxTest, EveryDefaultTemplateValidatesAndRenders) {
  auto all = outbox().Templates();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), EventKinds().size() * 3 * 2);
  for (const Template& t : *all) {
    SCOPED_TRACE(t.event_key + "/" + std::string(ChannelName(t.channel)) + "/" +
                 std::string(LanguageName(t.language)));
    EXPECT_FALSE(t.customised);
    EXPECT_TRUE(Validate(t).ok()) << Validate(t).error().message_en;
    std::map<std::string, std::string> values;
    for (std::string_view p : FindEventKind(t.event_key)->placeholders) {
      values[std::string(p)] = "x";
    }
    auto body = Render(t.body, values);
    ASSERT_TRUE(body.ok());
    if (t.channel == Channel::kSms) {
      EXPECT_LE(MeasureSms(*body).segments, 2) << *body;  // short enough for a phone
    }
  }
}

TEST_P(OutboxTest, AnAdministratorsTemplateReplacesTheDefaultUntilReset) {
  Template t = *outbox().GetTemplate("accepted", Channel::kSms, Language::kVi);
  EXPECT_FALSE(t.customised);
  // An enqueue before the edit (the outbox keeps the templates it read)…
  auto before = ByChannel(MustEnqueue(Accepted("before"), Citizen()));
  EXPECT_EQ(before[Channel::kSms].body,
            "Hồ sơ H55.60.01-260310-0001 đã được tiếp nhận. Hẹn trả kết quả ngày 24/03/2026.");
  t.body = "Hồ sơ {{code}}: hẹn {{appointment_date}}.";
  t.body_unaccented = "Ho so {{code}}: hen {{appointment_date}}.";
  auto saved = outbox().SaveTemplate(t, 9);
  ASSERT_TRUE(saved.ok());
  EXPECT_TRUE(saved->customised);
  t.body = "Hồ sơ {{ma_so}}";
  EXPECT_EQ(outbox().SaveTemplate(t, 9).error().reason, "notify.unknown_placeholder");

  auto ms = ByChannel(MustEnqueue(Accepted(), Citizen()));
  EXPECT_EQ(ms[Channel::kSms].body, "Hồ sơ H55.60.01-260310-0001: hẹn 24/03/2026.");
  ASSERT_TRUE(outbox().ResetTemplate("accepted", Channel::kSms, Language::kVi).ok());
  EXPECT_FALSE(outbox().GetTemplate("accepted", Channel::kSms, Language::kVi)->customised);
  // …and after the reset, the default again.
  auto after = ByChannel(MustEnqueue(Accepted("after"), Citizen()));
  EXPECT_EQ(after[Channel::kSms].body, before[Channel::kSms].body);
}

TEST_P(OutboxTest, UnaccentedSmsUsesTheVariantAndFoldsTheValues) {
  options_.sms_unaccented = true;
  options_.sms_cost_per_segment = 300;
  Event e = Accepted();
  e.template_key = "rejected";
  e.values = {{"name", "Nguyễn Thị Hoa"},
              {"code", "H55-1"},
              {"reason", "Thiếu giấy chứng sinh bản chính."}};
  auto ms = ByChannel(MustEnqueue(e, Citizen()));
  EXPECT_EQ(ms[Channel::kSms].body,
            "Ho so H55-1 khong duoc giai quyet. Ly do: Thieu giay chung sinh ban chinh.");
  EXPECT_EQ(ms[Channel::kSms].segments, 1);
  EXPECT_EQ(ms[Channel::kSms].cost, 300);
  // E-mail keeps its diacritics.
  EXPECT_EQ(ms[Channel::kEmail].subject, "Hồ sơ H55-1 không được giải quyết");
}

TEST_P(OutboxTest, EnglishSpeakersGetEnglish) {
  Recipient r = Citizen();
  r.language = Language::kEn;
  auto ms = ByChannel(MustEnqueue(Accepted(), r));
  EXPECT_EQ(ms[Channel::kEmail].subject, "Application H55.60.01-260310-0001 accepted");
  EXPECT_EQ(ms[Channel::kEmail].language, Language::kEn);
}

TINHSO_INSTANTIATE_BACKENDS(OutboxTest);

}  // namespace
}  // namespace tinhso::notify
