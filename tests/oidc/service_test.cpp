// The flow's own bookkeeping on both backends, with a scripted provider and a fake clock (these
// are checks of ours alone): states expire, return_to stays on this site, old rows go.
#include <gtest/gtest.h>

#include "oidc/oidc.hpp"
#include "support/database.hpp"

namespace tinhso::oidc {
namespace {

class OidcServiceTest : public test::BackendTest {
 protected:
  void SetUp() override {
    accounts_ = std::make_unique<auth::Accounts>(db(), clock_);
    ProviderConfig p;
    p.id = "vneid";
    p.name_vi = "VNeID";
    p.name_en = "VNeID";
    p.issuer = "http://127.0.0.1:4444";
    p.client_id = "tinhso";
    p.client_secret = "bi-mat";
    Fetcher fetch = [](const http::ClientRequest& r) -> Result<http::ClientResponse> {
      if (r.url != "http://127.0.0.1:4444/.well-known/openid-configuration") {
        return MakeError(ErrorCode::kUnavailable, "http.client_unreachable", "x", "refused");
      }
      http::ClientResponse response;
      response.status = 200;
      response.body =
          R"({"issuer":"http://127.0.0.1:4444","authorization_endpoint":"http://127.0.0.1:4444/auth",)"
          R"("token_endpoint":"http://127.0.0.1:4444/token","jwks_uri":"http://127.0.0.1:4444/jwks"})";
      return response;
    };
    service_ = std::make_unique<Service>(db(), clock_, *accounts_, std::vector{p}, fetch);
  }

  std::string StateOf(const std::string& url) {
    const auto at = url.find("state=") + 6;
    return url.substr(at, url.find('&', at) - at);
  }

  std::string ReturnTo() {
    auto tx = db().Begin(storage::TxKind::kReadOnly);
    auto rows = (*tx)->Query("SELECT return_to FROM oidc_states ORDER BY created_at DESC");
    return rows.ok() && !rows->empty() ? (*rows)[0].Text(0) : "";
  }

  core::FakeClock clock_{core::Seconds(std::chrono::seconds(1'763'900'000))};
  std::unique_ptr<auth::Accounts> accounts_;
  std::unique_ptr<Service> service_;
};

TEST_P(OidcServiceTest, AStateExpiresAfterTenMinutes) {
  auto started = service_->Start("vneid", "/ho-so");
  ASSERT_TRUE(started.ok()) << started.error().message_en;
  EXPECT_EQ(StateOf(started->url), started->state);
  clock_.Advance(std::chrono::seconds(601));
  auto finished = service_->Finish("vneid", started->state, "code", "127.0.0.1");
  ASSERT_FALSE(finished.ok());
  EXPECT_EQ(finished.error().reason, "oidc.state_invalid");
}

TEST_P(OidcServiceTest, AStateBelongsToItsProvider) {
  auto started = service_->Start("vneid", "/");
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(service_->Finish("khac", started->state, "code", "").error().reason,
            "oidc.state_invalid");
  EXPECT_EQ(service_->Start("khac", "/").error().reason, "oidc.provider_unknown");
}

TEST_P(OidcServiceTest, ReturnToStaysOnThisSite) {
  for (const auto& [asked, kept] :
       std::vector<std::pair<std::string, std::string>>{{"/ho-so?ma=1", "/ho-so?ma=1"},
                                                        {"//evil.example/x", "/"},
                                                        {"/\\evil.example", "/"},
                                                        {"https://evil.example/", "/"},
                                                        {"ho-so", "/"},
                                                        {"/a\r\nSet-Cookie: x=1", "/"}}) {
    ASSERT_TRUE(service_->Start("vneid", asked).ok());
    EXPECT_EQ(ReturnTo(), kept) << asked;
    clock_.Advance(std::chrono::seconds(1));
  }
}

TEST_P(OidcServiceTest, ExpiredStatesAreForgotten) {
  ASSERT_TRUE(service_->Start("vneid", "/").ok());
  ASSERT_TRUE(service_->Start("vneid", "/").ok());
  clock_.Advance(std::chrono::seconds(601));
  auto purged = service_->PurgeExpired();
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 2);
}

TINHSO_INSTANTIATE_BACKENDS(OidcServiceTest);

}  // namespace
}  // namespace tinhso::oidc
