#include "payment/simulator.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "core/parse.hpp"
#include "core/text.hpp"
#include "http/http.hpp"
#include "http/loopback.hpp"

namespace tinhso::payment {
namespace {

http::Response Refusal(int status, std::string_view code, std::string_view message) {
  Fields f;
  f["MaLoi"] = std::string(code);
  f["MoTaLoi"] = std::string(message);
  return http::JsonResponse(status, ToJson(f));
}

}  // namespace

struct Simulator::Impl {
  Options options;
  core::SystemClock system_clock;
  http::Router router;
  // Public, as the platform is: every caller is admitted, its messages checked by checksum.
  std::unique_ptr<http::LoopbackServer> server;
  std::string base_url;

  mutable std::mutex mu;
  std::map<std::string, Transaction, std::less<>> transactions;
  std::map<std::string, bool, std::less<>> undecided;
  bool available = true;
  std::optional<std::string> reject_next_init;
  std::optional<std::string> fail_next_payment;
  int next_transaction = 0;
  int rejected = 0;

  const core::Clock& clock() const {
    return options.clock ? *options.clock : static_cast<const core::Clock&>(system_clock);
  }
  GatewayConfig Config() const {
    GatewayConfig c;
    c.init_url = base_url + "/paygov/init";
    c.query_url = base_url + "/paygov/query";
    c.partner_code = options.partner_code;
    c.secret = options.secret;
    c.return_url = base_url + "/paygov/returned";
    c.timeout = std::chrono::seconds(10);
    return c;
  }

  // Checks a request's checksum and partner code; counts refusals. Caller holds `mu`.
  bool Authentic(MessageKind kind, const Fields& f) {
    if (CheckMessage(kind, f, options.secret).ok() &&
        Field(f, "MaDoiTac") == options.partner_code) {
      return true;
    }
    ++rejected;
    return false;
  }

  // The confirmation fields of `t` (state kPaid or kFailed), signed. Caller holds `mu`.
  Fields ConfirmationOf(const Transaction& t, Variant variant) const {
    Fields f;
    f["LoaiBanTin"] = "CONFIRM";
    f["MaLoi"] = t.code;
    f["MaDoiTac"] = options.partner_code;
    f["MaThamChieu"] = t.reference;
    f["SoTien"] = t.amount;
    f["MaTienTe"] = "VND";
    f["MaGiaoDich"] = t.transaction;
    f["MaNganHang"] = "NCB";
    f["ThoiGianGD"] = t.time;
    f["ThongTinGiaoDich"] = t.description;
    switch (variant) {
      case Variant::kGenuine:
        Sign(MessageKind::kConfirm, f, options.secret);
        break;
      case Variant::kForged:
        f["MaLoi"] = std::string(kSuccess);
        Sign(MessageKind::kConfirm, f, options.secret + "-guessed");
        break;
      case Variant::kWrongAmount: {
        const long long amount = std::atoll(t.amount.c_str());
        f["SoTien"] = std::to_string(amount + 1000);
        Sign(MessageKind::kConfirm, f, options.secret);
        break;
      }
    }
    return f;
  }

  Result<Fields> Pay(std::string_view reference) {
    std::lock_guard lock(mu);
    auto it = transactions.find(reference);
    if (it == transactions.end()) {
      return MakeError(ErrorCode::kNotFound, "simulator.unknown_reference",
                       "Nền tảng giả lập chưa nhận INIT cho mã này.",
                       "The simulated platform has seen no INIT for this reference.");
    }
    Transaction& t = it->second;
    if (t.state == State::kInitiated) {
      char id[32];
      std::snprintf(id, sizeof id, "SIM%08d", ++next_transaction);
      t.transaction = id;
      t.time = core::FormatVietnamCompact(clock().Now());
      if (fail_next_payment) {
        t.state = State::kFailed;
        t.code = *fail_next_payment;
        fail_next_payment.reset();
      } else {
        t.state = State::kPaid;
        t.code = std::string(kSuccess);
      }
    }
    return ConfirmationOf(t, Variant::kGenuine);
  }

  Result<http::Response> HandleInit(const http::Request& req) {
    auto f = FieldsFromJson(req.body);
    std::lock_guard lock(mu);
    if (!available) return Refusal(503, "99", "Hệ thống đang bảo trì");
    if (!f.ok() || !Authentic(MessageKind::kInit, *f)) {
      return Refusal(403, "01", "Sai mã xác thực");
    }
    const std::string reference(Field(*f, "MaThamChieu"));
    Fields answer;
    answer["LoaiBanTin"] = "INIT";
    answer["MaDoiTac"] = options.partner_code;
    answer["MaThamChieu"] = reference;
    answer["ThoiGianGD"] = core::FormatVietnamCompact(clock().Now());
    if (reject_next_init) {
      answer["MaLoi"] = *reject_next_init;
      answer["MoTaLoi"] = "Từ chối khởi tạo (giả lập)";
      reject_next_init.reset();
    } else {
      Transaction& t = transactions[reference];
      t.reference = reference;
      if (t.state == State::kInitiated) {
        t.amount = std::string(Field(*f, "SoTien"));
        t.description = std::string(Field(*f, "ThongTinGiaoDich"));
      }
      t.init_body = req.body;
      t.return_url = std::string(Field(*f, "UrlTraVe"));
      ++t.init_count;
      answer["MaLoi"] = std::string(kSuccess);
      answer["UrlThanhToan"] = base_url + "/paygov/pay/" + reference;
    }
    Sign(MessageKind::kInitAnswer, answer, options.secret);
    return http::JsonResponse(200, ToJson(answer));
  }

  Result<http::Response> HandleQuery(const http::Request& req) {
    auto f = FieldsFromJson(req.body);
    std::lock_guard lock(mu);
    if (!available) return Refusal(503, "99", "Hệ thống đang bảo trì");
    if (!f.ok() || !Authentic(MessageKind::kQuery, *f)) {
      return Refusal(403, "01", "Sai mã xác thực");
    }
    const std::string reference(Field(*f, "MaThamChieu"));
    Fields answer;
    auto it = transactions.find(reference);
    if (it == transactions.end()) {
      answer["MaLoi"] = "01";  // no transaction under this reference
      answer["MaThamChieu"] = reference;
      answer["MaDoiTac"] = options.partner_code;
    } else {
      Transaction& t = it->second;
      ++t.query_count;
      if (t.state == State::kInitiated) {
        answer["MaLoi"] = std::string(kSuccess);
        answer["MaThamChieu"] = reference;
        answer["MaDoiTac"] = options.partner_code;
        answer["SoTien"] = t.amount;
        answer["MaTienTe"] = "VND";
        answer["TrangThaiGD"] = "2";  // the simulator's "not paid (yet)"
      } else {
        answer = ConfirmationOf(t, Variant::kGenuine);
        answer.erase("MaXacThuc");
        answer["MaLoi"] = std::string(kSuccess);  // the query itself succeeded
        answer["TrangThaiGD"] = std::string(t.state == State::kPaid ? kRemotePaid : kRemoteFailed);
      }
      if (undecided.contains(reference)) answer["TrangThaiGD"] = std::string(kRemoteUndecided);
    }
    answer["LoaiBanTin"] = "QUERY";
    Sign(MessageKind::kQueryAnswer, answer, options.secret);
    return http::JsonResponse(200, ToJson(answer));
  }

  Result<http::Response> HandlePage(const http::Context& ctx) {
    const std::string reference(ctx.Param("reference"));
    std::string amount;
    std::string return_url;
    {
      std::lock_guard lock(mu);
      auto it = transactions.find(reference);
      if (it == transactions.end()) return Refusal(404, "01", "Không có giao dịch");
      amount = it->second.amount;
      return_url = it->second.return_url;
    }
    const std::string action = "/paygov/pay/" + core::EscapeHtml(reference);
    http::Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body =
        "<!doctype html><meta charset=utf-8><title>Cổng thanh toán (giả lập)</title>"
        "<h1>Thanh toán " +
        core::EscapeHtml(reference) + "</h1><p>Số tiền: " + core::EscapeHtml(amount) +
        " đồng</p><form method=post action=\"" + action +
        "\"><button>Thanh toán</button></form><form method=post action=\"" + action +
        "?ket_qua=that_bai\"><button>Hủy / thất bại</button></form>";
    // Paying answers with a redirect to the service's page (UrlTraVe), another origin: a
    // browser follows a form's redirect only where form-action allows it, and the server's
    // default policy allows 'self' alone (the payer stayed on this page, the request aborted).
    const std::size_t scheme = return_url.find("://");
    const std::string origin =
        scheme == std::string::npos ? "" : return_url.substr(0, return_url.find('/', scheme + 3));
    r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; form-action 'self'" +
                                                          (origin.empty() ? "" : " " + origin) +
                                                          "; frame-ancestors 'none'");
    return r;
  }

  Result<http::Response> HandlePay(const http::Request& req, const http::Context& ctx);
};

Simulator::Simulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Simulator::~Simulator() { impl_->server.reset(); }

Result<std::unique_ptr<Simulator>> Simulator::Start(Options options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  Impl* self = impl.get();
  auto add =
      [self](http::Method method, std::string path,
             std::function<Result<http::Response>(const http::Request&, http::Context&)> handler) {
        self->router.Add({.method = method,
                          .path = std::move(path),
                          .action = "public.paygov_simulator",
                          .handler = std::move(handler)});
      };
  add(http::Method::kPost, "/paygov/init",
      [self](const http::Request& r, http::Context&) { return self->HandleInit(r); });
  add(http::Method::kPost, "/paygov/query",
      [self](const http::Request& r, http::Context&) { return self->HandleQuery(r); });
  add(http::Method::kGet, "/paygov/pay/{reference}",
      [self](const http::Request&, http::Context& c) { return self->HandlePage(c); });
  add(http::Method::kPost, "/paygov/pay/{reference}",
      [self](const http::Request& r, http::Context& c) { return self->HandlePay(r, c); });

  TINHSO_ASSIGN_OR_RETURN(
      self->server,
      http::LoopbackServer::Start(self->router, "paygov-simulator", self->options.access_log_path,
                                  self->options.upload_dir));
  self->base_url = self->server->base_url();
  return std::unique_ptr<Simulator>(new Simulator(std::move(impl)));
}

Result<http::Response> Simulator::Impl::HandlePay(const http::Request& req,
                                                  const http::Context& ctx) {
  const std::string reference(ctx.Param("reference"));
  if (req.Query("ket_qua") == std::optional<std::string>("that_bai")) {
    std::lock_guard lock(mu);
    fail_next_payment = "24";
  }
  auto confirmation = Pay(reference);
  if (!confirmation.ok()) return Refusal(404, "01", "Không có giao dịch");
  Fields out = *confirmation;
  std::string callback_url;
  {
    std::lock_guard lock(mu);
    callback_url = options.callback_url;
  }
  if (!callback_url.empty()) {
    http::ClientRequest callback;
    callback.method = http::Method::kPost;
    callback.url = callback_url;
    callback.headers = {{"content-type", "application/json; charset=utf-8"}};
    callback.body = ToJson(*confirmation);
    auto answer = http::Fetch(callback);
    out["callback_status"] = answer.ok() ? std::to_string(answer->status) : answer.error().reason;
  }
  if (req.Header("accept").find("text/html") == std::string_view::npos) {
    return http::JsonResponse(200, ToJson(out));
  }
  // The payer's browser, as the platform treats it: back to the service's page when the INIT
  // named one, else a page that says what happened.
  std::string return_url;
  {
    std::lock_guard lock(mu);
    if (auto it = transactions.find(reference); it != transactions.end()) {
      return_url = it->second.return_url;
    }
  }
  const bool paid = Field(out, "MaLoi") == kSuccess;
  http::Response r;
  if (!return_url.empty()) {
    r.status = 303;
    r.headers.emplace_back("Location", return_url);
    return r;
  }
  r.content_type = "text/html; charset=utf-8";
  r.body = "<!doctype html><meta charset=utf-8><title>Cổng thanh toán (giả lập)</title><h1>" +
           std::string(paid ? "Đã thanh toán / Paid" : "Không thanh toán được / Not paid") +
           "</h1><p>" + core::EscapeHtml(reference) + "</p>";
  return r;
}

std::string Simulator::base_url() const { return impl_->base_url; }
std::string Simulator::init_url() const { return impl_->Config().init_url; }
std::string Simulator::query_url() const { return impl_->Config().query_url; }
GatewayConfig Simulator::Config() const { return impl_->Config(); }

void Simulator::SetAvailable(bool available) {
  std::lock_guard lock(impl_->mu);
  impl_->available = available;
}

void Simulator::RejectNextInit(std::string code) {
  std::lock_guard lock(impl_->mu);
  impl_->reject_next_init = std::move(code);
}

void Simulator::FailNextPayment(std::string code) {
  std::lock_guard lock(impl_->mu);
  impl_->fail_next_payment = std::move(code);
}

void Simulator::SetCallbackUrl(std::string url) {
  std::lock_guard lock(impl_->mu);
  impl_->options.callback_url = std::move(url);
}

void Simulator::SetUndecided(std::string_view reference, bool undecided) {
  std::lock_guard lock(impl_->mu);
  if (undecided) {
    impl_->undecided[std::string(reference)] = true;
  } else {
    impl_->undecided.erase(std::string(reference));
  }
}

Result<Fields> Simulator::Pay(std::string_view reference) { return impl_->Pay(reference); }

Result<Fields> Simulator::Confirmation(std::string_view reference, Variant variant) {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->transactions.find(reference);
  if (it == impl_->transactions.end()) {
    return MakeError(ErrorCode::kNotFound, "simulator.unknown_reference",
                     "Nền tảng giả lập chưa nhận INIT cho mã này.",
                     "The simulated platform has seen no INIT for this reference.");
  }
  if (it->second.state == State::kInitiated) {
    return MakeError(ErrorCode::kFailedPrecondition, "simulator.not_paid",
                     "Người nộp chưa thanh toán giao dịch này.",
                     "The payer has not paid this transaction yet.");
  }
  return impl_->ConfirmationOf(it->second, variant);
}

Result<http::ClientResponse> Simulator::Notify(std::string_view reference,
                                               const std::string& callback_url, Variant variant) {
  TINHSO_ASSIGN_OR_RETURN(Fields message, Confirmation(reference, variant));
  http::ClientRequest request;
  request.method = http::Method::kPost;
  request.url = callback_url;
  request.headers = {{"content-type", "application/json; charset=utf-8"}};
  request.body = ToJson(message);
  return http::Fetch(request);
}

std::optional<Simulator::Transaction> Simulator::Find(std::string_view reference) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->transactions.find(reference);
  if (it == impl_->transactions.end()) return std::nullopt;
  return it->second;
}

int Simulator::rejected_requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->rejected;
}

}  // namespace tinhso::payment
