#include <gtest/gtest.h>

#include "audit/audit.hpp"
#include "auth/auth.hpp"
#include "support/database.hpp"

namespace tinhso::auth {
namespace {

core::Seconds T(long long s) { return core::Seconds(std::chrono::seconds(s)); }

class AccountsTest : public test::BackendTest {
 protected:
  void SetUp() override {
    test::BackendTest::SetUp();
    AuthOptions options;
    options.password_cost = PasswordCost::Minimum();
    accounts_ = std::make_unique<Accounts>(db(), clock_, options);
  }
  NewUser Citizen(std::string login = "006095001234") {
    NewUser u;
    u.kind = core::ActorKind::kCitizen;
    u.login = std::move(login);
    u.full_name = "Nguyễn Thị Hoà";
    u.password = "mat-khau-du-dai";
    return u;
  }
  User MustCreate(const NewUser& u) {
    auto r = accounts_->Create(u, core::SystemActor());
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message_en + " " + r.error().detail);
    return r.ok() ? *r : User{};
  }
  core::FakeClock clock_{T(1'763'900'000)};
  std::unique_ptr<Accounts> accounts_;
};

TEST_P(AccountsTest, CreatesCitizenAndSignsIn) {
  User u = MustCreate(Citizen());
  EXPECT_GT(u.id, 0);
  auto s = accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie, "127.0.0.1");
  ASSERT_TRUE(s.ok()) << s.error().message_en;
  EXPECT_EQ(s->user.full_name, "Nguyễn Thị Hoà");
  EXPECT_GE(s->token.size(), 40u);
  auto actor = accounts_->Authenticate(s->token);
  ASSERT_TRUE(actor.ok());
  EXPECT_EQ(actor->kind, core::ActorKind::kCitizen);
  EXPECT_EQ(actor->user_id, u.id);
  EXPECT_TRUE(actor->via_cookie);
}

TEST_P(AccountsTest, RejectsInvalidIdentityNumbersAndWeakPasswords) {
  NewUser bad_cccd = Citizen("12345");
  EXPECT_EQ(accounts_->Create(bad_cccd, core::SystemActor()).error().reason, "user.cccd_invalid");
  NewUser business = Citizen("0100109107");
  business.kind = core::ActorKind::kBusiness;
  EXPECT_EQ(accounts_->Create(business, core::SystemActor()).error().reason,
            "user.tax_code_invalid");
  business.login = "0100109106";
  EXPECT_TRUE(accounts_->Create(business, core::SystemActor()).ok());
  NewUser weak = Citizen("019301004567");
  weak.password = "short";
  EXPECT_EQ(accounts_->Create(weak, core::SystemActor()).error().reason, "auth.password_too_short");
  NewUser officer_without_agency;
  officer_without_agency.kind = core::ActorKind::kOfficer;
  officer_without_agency.login = "cv.tuphap";
  officer_without_agency.full_name = "Lê Văn An";
  officer_without_agency.password = "mat-khau-du-dai";
  EXPECT_EQ(accounts_->Create(officer_without_agency, core::SystemActor()).error().code,
            ErrorCode::kInvalidArgument);
}

// Issue 15: any 8 bytes were accepted ("12345678", the login itself, eight NUL bytes).
TEST_P(AccountsTest, RefusesGuessablePasswordsSayingWhy) {
  const std::pair<std::string, std::string_view> cases[] = {
      {"12345678", "auth.password_common"},
      {"password", "auth.password_common"},
      {"qwerty123", "auth.password_common"},
      {"matkhau123", "auth.password_common"},  // Vietnamese for "password123"
      {"Anhyeuem@1", "auth.password_common"},  // "I love you"
      {std::string(8, '\0'), "auth.password_invalid_character"},
      {"mat-khau\tdu-dai", "auth.password_invalid_character"},
      {"mat-khau-du-dai\n", "auth.password_invalid_character"},
      {"019301004567", "auth.password_contains_login"},
      {"x019301004567!", "auth.password_contains_login"},
      {"NguyenThiHoa-1990", "auth.password_contains_name"},
      {"nguyễn-thị-hoà", "auth.password_contains_name"},
      {"aaaaaaaa", "auth.password_too_simple"},
      {"qmvtrzkp", "auth.password_too_simple"},  // 8 lower-case letters: score below 20
      {"mậtkhẩu", "auth.password_too_short"},    // 7 characters, 11 bytes
  };
  for (const auto& [password, reason] : cases) {
    NewUser u = Citizen("019301004567");
    u.password = password;
    auto r = accounts_->Create(u, core::SystemActor());
    ASSERT_FALSE(r.ok()) << password;
    EXPECT_EQ(r.error().reason, reason) << password;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << password;
    // Our own words in both languages, never pwquality's or cracklib's English text.
    EXPECT_NE(r.error().message_vi, r.error().message_en);
    EXPECT_EQ(r.error().message_en.find("dictionary check"), std::string::npos);
  }
  EXPECT_FALSE(accounts_->FindByLogin("019301004567").ok()) << "nothing was created";
}

// The passwords of the demo data, the tests and the benchmarks pass with their accounts.
TEST_P(AccountsTest, DemoTestAndBenchPasswordsAreGoodEnough) {
  const struct {
    std::string_view password, login, name;
  } accounts[] = {
      {"demo-tinhso-2026", "quantri", "Trần Minh Quân"},
      {"demo-tinhso-2026", "lanhdao.tinh", "Đặng Quốc Bảo"},
      {"demo-tinhso-2026", "motcua", "Hoàng Thu Hà"},
      {"demo-tinhso-2026", "chuyenvien.vanhoa", "Lê Văn An"},
      {"demo-tinhso-2026", "lanhdao.vanhoa", "Phạm Thị Hồng"},
      {"demo-tinhso-2026", "motcua.babe", "Ma Văn Tú"},
      {"demo-tinhso-2026", "chutich.babe", "Hà Thị Mai"},
      {"demo-tinhso-2026", "019190000001", "Nguyễn Thị Lan"},
      {"mat-khau-du-dai", "quantri", "Quản trị viên"},
      {"mat-khau-du-dai", "006095001234", "Nguyễn Thị Hoà"},
      {"mat-khau-moi-123", "quantri", "Quản trị"},
      {"mat-khau-moi-1", "quantri", "Người dùng quantri"},
      {"bench-password-123", "bench.admin", "Quản trị đo hiệu năng"},
      {"bench-password-123", "bench.motcua", "Cán bộ một cửa"},
      {"bench-password-123", "001199012345", "Nguyễn Thị Hồng Nhung"},
  };
  for (const auto& a : accounts) {
    auto r = CheckNewPassword(a.password, {.login = a.login, .full_name = a.name}, 20);
    EXPECT_TRUE(r.ok()) << a.password << " for " << a.login << ": "
                        << (r.ok() ? "" : r.error().reason);
  }
}

TEST_P(AccountsTest, ANewPasswordIsNotThePreviousOne) {
  User u = MustCreate(Citizen());
  auto s = accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kBearer, "");
  ASSERT_TRUE(s.ok());
  auto actor = accounts_->Authenticate(s->token);
  ASSERT_TRUE(actor.ok());
  for (const char* same : {"mat-khau-du-dai", "MAT-KHAU-DU-DAI", "du-daimat-khau-"}) {
    auto r = accounts_->ChangeOwnPassword(*actor, "mat-khau-du-dai", same);
    ASSERT_FALSE(r.ok()) << same;
    EXPECT_EQ(r.error().reason, "auth.password_reused") << same;
  }
  // An administrator's reset is checked too: against the stored hash, and for quality.
  EXPECT_EQ(accounts_->SetPassword(u.id, "mat-khau-du-dai", core::SystemActor()).error().reason,
            "auth.password_reused");
  EXPECT_EQ(accounts_->SetPassword(u.id, "12345678", core::SystemActor()).error().reason,
            "auth.password_common");
  EXPECT_EQ(accounts_->SetPassword(u.id, "006095001234-a", core::SystemActor()).error().reason,
            "auth.password_contains_login");
  EXPECT_EQ(accounts_->ChangeOwnPassword(*actor, "mat-khau-du-dai", "thi-hoa-2024").error().reason,
            "auth.password_contains_name");
  EXPECT_TRUE(accounts_->Authenticate(s->token).ok()) << "no refused change ended the session";
  EXPECT_TRUE(accounts_->ChangeOwnPassword(*actor, "mat-khau-du-dai", "mat-khau-moi-123").ok());
  EXPECT_TRUE(accounts_->Login("006095001234", "mat-khau-moi-123", SessionKind::kBearer, "").ok());
}

// cracklib-runtime (scripts/bootstrap.sh) builds the dictionary libpwquality reads; without it
// every new password would be refused as unavailable.
TEST(PasswordCheckTest, TheDictionaryIsInstalled) {
  auto r = CheckNewPassword("kiem-tra-tu-dien-Q7x", {}, 20);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().reason + " " + r.error().detail);
}

TEST_P(AccountsTest, DuplicateLoginIsAlreadyExists) {
  MustCreate(Citizen());
  auto again = accounts_->Create(Citizen(), core::SystemActor());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().reason, "user.login_taken");
}

TEST_P(AccountsTest, WrongPasswordAndUnknownLoginLookAlike) {
  MustCreate(Citizen());
  auto wrong = accounts_->Login("006095001234", "sai-mat-khau", SessionKind::kCookie, "");
  auto unknown = accounts_->Login("001200000001", "sai-mat-khau", SessionKind::kCookie, "");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().reason, unknown.error().reason);
  EXPECT_EQ(wrong.error().message_vi, unknown.error().message_vi);
}

// Issue 15: five wrong guesses every 15 minutes, from anywhere, kept any account locked (the
// administrator's too). Now the guessing address waits longer after each failure; the owner,
// elsewhere, signs in at once, and nothing ever locks the account.
TEST_P(AccountsTest, FailuresSlowTheGuessingAddressNotTheOwner) {
  User u = MustCreate(Citizen());
  const std::string kAttacker = "203.0.113.9";
  const std::string kOwner = "198.51.100.7";
  std::vector<int> waits;
  for (int i = 0; i < 12; ++i) {
    auto wrong = accounts_->Login("006095001234", "sai-mat-khau", SessionKind::kCookie, kAttacker);
    EXPECT_EQ(wrong.error().reason, "auth.bad_credentials") << i;
    // Asked again at once, even with the right password: wait, and nothing is checked.
    int retry_after = 0;
    auto early = accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie,
                                  kAttacker, {}, &retry_after);
    ASSERT_FALSE(early.ok());
    EXPECT_EQ(early.error().reason, "auth.throttled") << i;
    EXPECT_EQ(early.error().code, ErrorCode::kResourceExhausted);
    waits.push_back(retry_after);
    // The owner, elsewhere, is never held back.
    EXPECT_TRUE(
        accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie, kOwner).ok())
        << i;
    clock_.Advance(std::chrono::seconds(retry_after));
  }
  EXPECT_EQ(waits, (std::vector<int>{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900}));
  // A success from an address starts it again at zero.
  EXPECT_TRUE(
      accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie, kAttacker).ok());
  EXPECT_FALSE(
      accounts_->Login("006095001234", "sai-mat-khau", SessionKind::kCookie, kAttacker).ok());
  int retry_after = 0;
  EXPECT_FALSE(
      accounts_->Login("006095001234", "x", SessionKind::kCookie, kAttacker, {}, &retry_after)
          .ok());
  EXPECT_EQ(retry_after, 1);
  // Failures are forgotten after a day.
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(std::chrono::hours(1));
    (void)accounts_->Login("006095001234", "sai-mat-khau", SessionKind::kCookie, kAttacker);
  }
  clock_.Advance(std::chrono::hours(25));
  EXPECT_EQ(accounts_->Login("006095001234", "sai", SessionKind::kCookie, kAttacker).error().reason,
            "auth.bad_credentials");
  EXPECT_FALSE(
      accounts_->Login("006095001234", "x", SessionKind::kCookie, kAttacker, {}, &retry_after)
          .ok());
  EXPECT_EQ(retry_after, 1) << "counted from one again";
  (void)u;
}

TEST_P(AccountsTest, AnAdministratorForgetsTheFailuresOfAnAccount) {
  User u = MustCreate(Citizen());
  for (int i = 0; i < 4; ++i) {
    if (i > 0) clock_.Advance(std::chrono::seconds(1 << (i - 1)));
    (void)accounts_->Login("006095001234", "sai-mat-khau", SessionKind::kCookie, "203.0.113.9");
  }
  EXPECT_EQ(accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie, "203.0.113.9")
                .error()
                .reason,
            "auth.throttled");
  core::Actor admin = core::SystemActor();
  ASSERT_TRUE(accounts_->Unlock(u.id, admin).ok());
  EXPECT_TRUE(
      accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie, "203.0.113.9")
          .ok());
  EXPECT_EQ(accounts_->Unlock(999999, admin).error().code, ErrorCode::kNotFound);
  audit::Filter f;
  f.action_prefix = "user.unlock";
  auto entries = audit::List(db(), f);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].object_id, std::to_string(u.id));
}

// Failures from many addresses together only slow the account, past a much higher count, and
// never for an address it has signed in from.
TEST_P(AccountsTest, ManyAddressesTogetherOnlySlowTheAccount) {
  AuthOptions options;
  options.password_cost = PasswordCost::Minimum();
  options.account_slowdown_after = 3;
  accounts_ = std::make_unique<Accounts>(db(), clock_, options);
  MustCreate(Citizen());
  const std::string kOwner = "198.51.100.7";
  ASSERT_TRUE(
      accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie, kOwner).ok());
  int retry_after = 0;
  for (int i = 1; i <= 30; ++i) {
    const std::string address = "203.0.113." + std::to_string(i);
    auto r = accounts_->Login("006095001234", "sai-mat-khau", SessionKind::kCookie, address, {},
                              &retry_after);
    if (!r.ok() && r.error().reason == "auth.throttled") {
      ASSERT_LE(retry_after, 60) << "slowed, never locked";
      clock_.Advance(std::chrono::seconds(retry_after));
      r = accounts_->Login("006095001234", "sai-mat-khau", SessionKind::kCookie, address);
    }
    EXPECT_EQ(r.error().reason, "auth.bad_credentials") << i;
    // The owner's usual address goes through at any moment.
    EXPECT_TRUE(
        accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie, kOwner).ok());
  }
  // A new address waits (at most the account-wide cap), an unknown login the same way.
  auto fresh = accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie,
                                "192.0.2.1", {}, &retry_after);
  EXPECT_EQ(fresh.error().reason, "auth.throttled");
  EXPECT_EQ(retry_after, 60);
}

// Only existing accounts answered "auth.locked", and a disabled account said so before its
// password was checked: both told a guesser which logins exist. Now the three answer alike.
TEST_P(AccountsTest, UnknownDisabledAndWrongPasswordAnswerAlike) {
  MustCreate(Citizen("006095001234"));
  User disabled = MustCreate(Citizen("019301004567"));
  ASSERT_TRUE(accounts_->SetDisabled(disabled.id, true, core::SystemActor()).ok());
  const auto attempt = [&](const char* login, const char* password) {
    return accounts_->Login(login, password, SessionKind::kCookie, "203.0.113.9");
  };
  const Error wrong = attempt("006095001234", "sai-mat-khau").error();
  const Error unknown = attempt("001200000001", "sai-mat-khau").error();
  const Error off_right = attempt("019301004567", "mat-khau-du-dai").error();
  // The throttle treats them alike: one failure each, then one second to wait.
  for (const char* login : {"006095001234", "001200000001", "019301004567"}) {
    int retry_after = 0;
    auto again = accounts_->Login(login, "sai-mat-khau", SessionKind::kCookie, "203.0.113.9", {},
                                  &retry_after);
    EXPECT_EQ(again.error().reason, "auth.throttled") << login;
    EXPECT_EQ(retry_after, 1) << login;
  }
  clock_.Advance(std::chrono::seconds(1));
  const Error off_wrong = attempt("019301004567", "sai-mat-khau").error();
  for (const Error* e : {&unknown, &off_right, &off_wrong}) {
    EXPECT_EQ(e->code, wrong.code);
    EXPECT_EQ(e->reason, wrong.reason);
    EXPECT_EQ(e->message_vi, wrong.message_vi);
    EXPECT_EQ(e->message_en, wrong.message_en);
  }
  EXPECT_EQ(wrong.reason, "auth.bad_credentials");
}

// Issue 15: sign-ins left no trace in the audit log. Now successes, failures (with the login
// tried and the address, never the password), logouts and token creations are recorded.
TEST_P(AccountsTest, SignInsLogoutsAndTokensAreAudited) {
  User u = MustCreate(Citizen());
  const std::string kAddress = "203.0.113.9";
  ASSERT_FALSE(
      accounts_->Login("001200000001", "sai-mat-khau-1", SessionKind::kCookie, kAddress).ok());
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_FALSE(
      accounts_->Login("006095001234", "sai-mat-khau-2", SessionKind::kCookie, kAddress).ok());
  clock_.Advance(std::chrono::seconds(2));
  auto s = accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie, kAddress);
  ASSERT_TRUE(s.ok());
  auto actor = accounts_->Authenticate(s->token);
  ASSERT_TRUE(actor.ok());
  auto token = accounts_->CreateToken(*actor, "mat-khau-du-dai", kAddress, "máy chủ báo cáo");
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(accounts_->Logout(s->token, kAddress).ok());
  ASSERT_TRUE(accounts_->Logout(s->token, kAddress).ok());  // already ended: no second entry

  audit::Filter f;
  f.action_prefix = "auth.";
  auto entries = audit::List(db(), f);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 5u);
  const auto& e = *entries;  // newest first
  EXPECT_EQ(e[4].action, "auth.login_failed");
  EXPECT_EQ(e[4].actor_id, 0);
  EXPECT_EQ(e[4].object_id, "");
  EXPECT_NE(e[4].data_json.find(R"("login":"001200000001")"), std::string::npos) << e[4].data_json;
  EXPECT_NE(e[4].data_json.find(R"("source":"203.0.113.9")"), std::string::npos) << e[4].data_json;
  EXPECT_NE(e[4].data_json.find("unknown_login"), std::string::npos) << e[4].data_json;
  EXPECT_EQ(e[3].action, "auth.login_failed");
  EXPECT_EQ(e[3].object_id, std::to_string(u.id));
  EXPECT_NE(e[3].data_json.find("wrong_password"), std::string::npos) << e[3].data_json;
  EXPECT_EQ(e[2].action, "auth.login");
  EXPECT_EQ(e[2].actor_id, u.id);
  EXPECT_NE(e[2].data_json.find(R"("session":"cookie")"), std::string::npos) << e[2].data_json;
  EXPECT_EQ(e[1].action, "auth.token.create");
  EXPECT_EQ(e[1].actor_id, u.id);
  EXPECT_NE(e[1].data_json.find(R"("session":"bearer")"), std::string::npos) << e[1].data_json;
  EXPECT_EQ(e[0].action, "auth.logout");
  EXPECT_EQ(e[0].actor_id, u.id);
  for (const auto& entry : e) {
    EXPECT_EQ(entry.data_json.find("mat-khau"), std::string::npos) << "a password in the log";
  }
  auto report = audit::Verify(db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact);
}

TEST_P(AccountsTest, LogoutEndsTheSession) {
  MustCreate(Citizen());
  auto s = accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kBearer, "");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(accounts_->Authenticate(s->token).ok());
  ASSERT_TRUE(accounts_->Logout(s->token).ok());
  EXPECT_EQ(accounts_->Authenticate(s->token).error().code, ErrorCode::kUnauthenticated);
}

TEST_P(AccountsTest, SessionsExpire) {
  MustCreate(Citizen());
  auto s = accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie, "");
  ASSERT_TRUE(s.ok());
  // Used every 20 minutes (never idle long enough to end), it still ends after its 12 hours.
  for (int i = 1; i < 36; ++i) {
    clock_.Advance(std::chrono::minutes(20));
    ASSERT_TRUE(accounts_->Authenticate(s->token).ok()) << i * 20 << " min";
  }
  clock_.Advance(std::chrono::minutes(20));
  EXPECT_EQ(accounts_->Authenticate(s->token).error().reason, "auth.session_invalid");
}

// A browser session unused for 30 minutes ends (issue 15); an API token only at its lifetime.
TEST_P(AccountsTest, CookieSessionsEndWhenIdleTokensDoNot) {
  MustCreate(Citizen());
  auto cookie = accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kCookie, "");
  auto bearer = accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kBearer, "");
  ASSERT_TRUE(cookie.ok() && bearer.ok());
  clock_.Advance(std::chrono::minutes(29));
  EXPECT_TRUE(accounts_->Authenticate(cookie->token).ok());
  clock_.Advance(std::chrono::minutes(30));
  auto ended = accounts_->Authenticate(cookie->token);
  ASSERT_FALSE(ended.ok()) << "30 minutes unused";
  EXPECT_EQ(ended.error().reason, "auth.session_invalid");
  EXPECT_TRUE(accounts_->Authenticate(bearer->token).ok()) << "59 minutes unused";
}

TEST_P(AccountsTest, DisablingAndPasswordResetRevokeSessions) {
  User u = MustCreate(Citizen());
  auto s1 = accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kBearer, "");
  ASSERT_TRUE(s1.ok());
  ASSERT_TRUE(accounts_->Authenticate(s1->token).ok());  // now cached
  ASSERT_TRUE(accounts_->SetPassword(u.id, "mat-khau-moi-123", core::SystemActor()).ok());
  EXPECT_FALSE(accounts_->Authenticate(s1->token).ok());
  EXPECT_FALSE(accounts_->Login("006095001234", "mat-khau-du-dai", SessionKind::kBearer, "").ok());
  clock_.Advance(std::chrono::seconds(1));  // the failure above makes this address wait 1 s
  auto s2 = accounts_->Login("006095001234", "mat-khau-moi-123", SessionKind::kBearer, "");
  ASSERT_TRUE(s2.ok());
  ASSERT_TRUE(accounts_->SetDisabled(u.id, true, core::SystemActor()).ok());
  EXPECT_FALSE(accounts_->Authenticate(s2->token).ok());
  EXPECT_EQ(
      accounts_->Login("006095001234", "mat-khau-moi-123", SessionKind::kBearer, "").error().reason,
      "auth.bad_credentials");
}

TEST_P(AccountsTest, EveryChangeIsAudited) {
  User u = MustCreate(Citizen());
  ASSERT_TRUE(accounts_->SetPassword(u.id, "mat-khau-moi-123", core::SystemActor()).ok());
  ASSERT_TRUE(accounts_->SetDisabled(u.id, true, core::SystemActor()).ok());
  audit::Filter f;
  f.object_type = "user";
  f.object_id = std::to_string(u.id);
  auto entries = audit::List(db(), f);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].action, "user.disable");
  EXPECT_EQ((*entries)[1].action, "user.password_reset");
  EXPECT_EQ((*entries)[2].action, "user.create");
  // The password hash never reaches the log.
  EXPECT_EQ((*entries)[2].data_json.find("argon2"), std::string::npos);
}

TEST_P(AccountsTest, PasswordsAreArgon2id) {
  auto hash = HashPassword("mat-khau-du-dai", PasswordCost::Minimum());
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "mat-khau-du-dai"));
  EXPECT_FALSE(VerifyPassword(*hash, "mat-khau-du-dai!"));
}

// "%" and "_" are not LIKE wildcards in a search: they match the names holding them, and no
// search key holds punctuation, so they match no one (they used to match everyone).
TEST_P(AccountsTest, SearchingForAWildcardMatchesNoOne) {
  for (auto [login, name] : {std::pair{"qt.an", "Nguyễn Văn An"}, {"qt.binh", "Trần Thị Bình"}}) {
    NewUser u;
    u.kind = core::ActorKind::kAdmin;  // listed like officers, and needs no agency
    u.login = login;
    u.full_name = name;
    u.password = "mat-khau-du-dai";
    MustCreate(u);
  }
  auto found = accounts_->List({}, "binh", 50, 0);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().full_name, "Trần Thị Bình");
  for (const char* q : {"%", "_", "%%", "\\"}) {
    auto r = accounts_->List({}, q, 50, 0);
    ASSERT_TRUE(r.ok()) << q;
    EXPECT_TRUE(r->empty()) << q << " matched " << r->size();
  }
}

// A CCCD's digits 4 to 6 give the century and year of birth: a number "born" after the current
// year (by the service's clock, here 23/11/2025) is made up, for a citizen's account and for a
// household business's, which signs in with its owner's CCCD.
TEST_P(AccountsTest, RefusesACccdWhoseBirthYearIsInTheFuture) {
  auto born_2026 = accounts_->Create(Citizen("019326004567"), core::SystemActor());
  ASSERT_FALSE(born_2026.ok());
  EXPECT_EQ(born_2026.error().reason, "user.cccd_invalid");
  EXPECT_NE(born_2026.error().message_vi.find("năm sinh 2026"), std::string::npos)
      << born_2026.error().message_vi;
  EXPECT_NE(born_2026.error().message_en.find("birth year 2026"), std::string::npos)
      << born_2026.error().message_en;
  NewUser household = Citizen("019326004567");
  household.kind = core::ActorKind::kBusiness;
  EXPECT_EQ(accounts_->Create(household, core::SystemActor()).error().reason, "user.cccd_invalid");
  // On New Year's morning in Vietnam (still 31/12 in UTC) the child's number is valid.
  clock_.Set(T(1'767'200'400));  // 2026-01-01T00:00+07:00
  EXPECT_TRUE(accounts_->Create(Citizen("019326004567"), core::SystemActor()).ok());
}

TINHSO_INSTANTIATE_BACKENDS(AccountsTest);

}  // namespace
}  // namespace tinhso::auth
