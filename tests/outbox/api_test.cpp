// The outbox's routes through the application's router, each answer checked against the OpenAPI
// document: the list with its filters, one message with its attempts, retry, cancel, the
// summary, and the refusals.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/app_fixture.hpp"
#include "fixture.hpp"
#include "http/contract.hpp"

namespace tinhso::outbox::test {
namespace {

namespace bj = boost::json;

class OutboxApiTest : public app::test::AppTest {
 protected:
  Message Enqueue(std::string key) {
    NewMessage m;
    m.destination = "dvcqg.dossier";
    m.idempotency_key = std::move(key);
    m.path = "/api/hoso/dongbo";
    m.headers = {{"Content-Type", "application/json"}};
    m.body = R"({"MaHoSo":"H55-260310-0001","TenThuTuc":"Đăng ký khai sinh"})";
    Message out;
    auto done = storage::WithTransaction(db(), [&](storage::Transaction& tx) -> Result<void> {
      TINHSO_ASSIGN_OR_RETURN(out, app_->outgoing().Enqueue(tx, m));
      return Ok();
    });
    EXPECT_TRUE(done.ok());
    return out;
  }
};

TEST_P(OutboxApiTest, OperatorsListInspectRetryAndCancel) {
  const http::test::Contract contract(app_->router());
  const Message dead = Enqueue("hoso-1-tiepnhan");
  const Message waiting = Enqueue("hoso-2-tiepnhan");
  RecordingSender sender;
  sender.Then(Answer(422));
  ASSERT_TRUE(app_->outgoing().DeliverDue(clock_.Now(), sender, 1).ok());

  auto list = contract.Call(http::Method::kGet, "/api/v1/outbox/messages", "", {{"status", "dead"}},
                            Admin());
  ASSERT_TRUE(list.ok()) << list.error().message_en;
  auto page = bj::parse(list->body).as_object();
  EXPECT_EQ(page.at("total").as_int64(), 1);
  const auto& item = page.at("items").as_array().at(0).as_object();
  EXPECT_EQ(item.at("idempotency_key").as_string(), "hoso-1-tiepnhan");
  EXPECT_EQ(item.at("status").as_string(), "dead");
  EXPECT_EQ(item.at("last_status_code").as_int64(), 422);
  auto bad = contract.Call(http::Method::kGet, "/api/v1/outbox/messages", "", {{"status", "lost"}},
                           Admin());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason, "request.invalid_query");

  const std::string one = "/api/v1/outbox/messages/" + std::to_string(dead.id);
  auto detail = contract.Call(http::Method::kGet, one, "", {}, Admin());
  ASSERT_TRUE(detail.ok()) << detail.error().message_en;
  auto d = bj::parse(detail->body).as_object();
  EXPECT_EQ(d.at("body_text").as_string(),
            R"({"MaHoSo":"H55-260310-0001","TenThuTuc":"Đăng ký khai sinh"})");
  EXPECT_EQ(d.at("headers").as_array().at(0).at("name").as_string(), "Content-Type");
  ASSERT_EQ(d.at("attempts").as_array().size(), 1u);
  EXPECT_EQ(d.at("attempts").as_array().at(0).at("outcome").as_string(), "dead");
  EXPECT_EQ(d.at("attempts").as_array().at(0).at("status_code").as_int64(), 422);

  auto retried = contract.Call(http::Method::kPost, one + "/retry", "", {}, Admin());
  ASSERT_TRUE(retried.ok()) << retried.error().message_en;
  EXPECT_EQ(bj::parse(retried->body).at("status").as_string(), "queued");
  auto twice = contract.Call(http::Method::kPost, one + "/retry", "", {}, Admin());
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().reason, "outbox.not_retryable");
  const std::string other = "/api/v1/outbox/messages/" + std::to_string(waiting.id);
  auto cancelled = contract.Call(http::Method::kPost, other + "/cancel", "", {}, Admin());
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().message_en;
  EXPECT_EQ(bj::parse(cancelled->body).at("status").as_string(), "cancelled");
  auto missing =
      contract.Call(http::Method::kGet, "/api/v1/outbox/messages/999999", "", {}, Admin());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  auto summary = contract.Call(http::Method::kGet, "/api/v1/outbox/summary", "", {}, Admin());
  ASSERT_TRUE(summary.ok());
  const bj::value summary_json = bj::parse(summary->body);
  const auto& counts = summary_json.at("items").as_array();
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts.at(0).at("status").as_string(), "cancelled");
  EXPECT_EQ(counts.at(1).at("status").as_string(), "queued");

  // A leader is not an operator of the outbox; the handler refuses even past the guard.
  core::Actor leader;
  leader.kind = core::ActorKind::kOfficer;
  leader.user_id = 5;
  leader.roles = {"leader"};
  auto refused = contract.Call(http::Method::kPost, one + "/cancel", "", {}, leader);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_FALSE(contract.Call(http::Method::kGet, "/api/v1/outbox/summary", "", {}, leader).ok());
}

TINHSO_INSTANTIATE_BACKENDS(OutboxApiTest);

}  // namespace
}  // namespace tinhso::outbox::test
