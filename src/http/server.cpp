// The HTTP/1.1 server: Beast over Asio with C++20 coroutines. The only translation unit of the
// project that includes Beast or Asio.
//
// Shape (after Beast's awaitable examples): one coroutine per connection, a plain loop of
// read header → decide → read body → run the handler → write. Limits and timeouts are explicit
// at each step:
//   idle_timeout  waiting for the first byte of the next request (then close, silently)
//   read_timeout  the whole header; then each body read and each response write must make
//                 progress within it (then 408, or close when the response itself stalls)
//   header_limit  431;  body_limit / upload_limit  413
// Timeouts use a per-connection timer that *cancels* the socket's pending operation instead of
// Beast's tcp_stream (which closes the socket on expiry), so that a 408 can still be sent.
//
// Threads: each of the io_threads runs its own io_context, and each connection lives on one of
// them, so its steps never hop threads; handlers of routes that are not `cheap` (and their
// Guard::Admit) run on a separate worker pool, so a slow database call never stalls other
// connections.
//
// HTTPS (ServerOptions::tls): a second listener whose connections run the same Session over
// asio::ssl::stream instead of the bare socket. Session is a template on its stream, so plain
// HTTP pays nothing for TLS (no virtual call on the data path); only Stop() reaches connections
// through the Connection base. The handshake comes first, within first_request_timeout, and the
// connection counts against the limits from its accept, as a plain one does.
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <list>
#include <map>
#include <thread>
#include <tuple>
#include <type_traits>
#include <unordered_map>

#include "core/metrics.hpp"
#include "http/http.hpp"
#include "http/internal.hpp"

namespace tinhso::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;
using TlsStream = net::ssl::stream<tcp::socket>;
using SteadyClock = std::chrono::steady_clock;

// Completion token: results as a tuple (error_code first), never an exception.
constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);
constexpr std::size_t kIdleReadSize = 4096;

// Security headers for every response. The CSP goes on HTML only: the UI's own scripts and
// styles, nothing inline, no framing.
constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7), formatted once per second per thread.
const std::string& HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[utc.tm_wday % 7],
                  utc.tm_mday, kMonths[utc.tm_mon % 12], utc.tm_year + 1900, utc.tm_hour,
                  utc.tm_min, utc.tm_sec);
    cached = text;
    cached_second = now;
  }
  return cached;
}

bool IsApiPath(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool HasHeader(const Headers& headers, std::string_view lower_name) {
  for (const auto& h : headers) {
    if (Lower(h.first) == lower_name) return true;
  }
  return false;
}

// Errors that mean the peer went away: nothing can be answered, close quietly.
bool IsDisconnect(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::operation_aborted ||
         ec == net::error::bad_descriptor || ec == net::error::not_connected;
}

// A file that disappears when the request is over: uploads are never kept by accident. A
// handler that wants the file renames it first.
struct TempFile {
  explicit TempFile(fs::path p) : path(std::move(p)) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
  fs::path path;
};

// Everything known about one request/response, filled in as the exchange progresses; the
// access log and the metrics read it at the end.
struct Exchange {
  SteadyClock::time_point started;
  Request request;
  std::string method_label = "OTHER";
  std::string route_label = "invalid";
  std::string log_path;
  unsigned version = 11;
  bool head = false;
  bool keep_alive = false;
  // The response went out before the request body was read: the connection must close, and
  // close slowly (see Session::Linger) so the client still gets to read the answer.
  bool unread_body = false;
  std::int64_t user_id = 0;
  Response response;
  std::unique_ptr<TempFile> upload;
};

Response BadRequest(std::string_view request_id) {
  return internal::ServerError(ErrorCode::kInvalidArgument, "http.bad_request",
                               "Yêu cầu HTTP không hợp lệ.", "Malformed HTTP request.", request_id);
}

Response Timeout(std::string_view request_id) {
  return internal::ServerError(
      ErrorCode::kTimeout, "http.timeout", "Yêu cầu gửi đến quá chậm, kết nối sẽ được đóng.",
      "The request took too long to arrive; the connection will be closed.", request_id);
}

Response TooLarge(std::string_view request_id) {
  return internal::ServerError(ErrorCode::kPayloadTooLarge, "http.payload_too_large",
                               "Nội dung gửi lên vượt quá giới hạn cho phép.",
                               "The request body is larger than allowed.", request_id);
}

}  // namespace

// What the server needs of a connection whatever its stream: only Stop() calls these, once.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual net::any_io_executor executor() = 0;
  // On the connection's executor: a connection waiting for its next request (or for its TLS
  // handshake) is closed now; one in the middle of a request finishes it first.
  virtual void CloseIfIdle() = 0;
};

template <class Stream>
class Session;

namespace {

// The lowest priority short of SCHED_IDLE (weight 15 against 1024): under contention costly work
// gets about 1.5 % of a core, yet it is never starved outright.
constexpr int kCostlyNice = 19;

// Costly work (password hashing, parsing untrusted PDFs for anyone) runs at a lower scheduling
// priority than everything else: when the cores are busy the kernel serves officers' requests
// first, so a flood of costly requests slows their own queue, not the officers'. On Linux the
// nice value belongs to the thread; raising it needs no privilege.
void YieldCpuToOtherWork() {
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kCostlyNice) != 0) {
    spdlog::warn("costly thread: setpriority failed ({})", std::strerror(errno));
  }
}

Error TlsConfigError(std::string_view what, const std::string& file, std::string_view detail) {
  return MakeError(ErrorCode::kInvalidArgument, "http.tls_config",
                   "Không dùng được " +
                       std::string(what == "certificate" ? "chứng thư số"
                                   : what == "key"       ? "khóa bí mật"
                                                         : "chứng thư CA") +
                       " HTTPS ở tệp " + file + ".",
                   "Cannot use the HTTPS " + std::string(what) + " file " + file + ".",
                   std::string(detail));
}

// The HTTPS listener's settings: TLS 1.2 or later, ECDHE with AEAD ciphers only under 1.2 (1.3's
// suites all are), no renegotiation; client certificates asked for, checked against the client
// CAs, yet not required (clients with bearer tokens use the same port).
Result<std::unique_ptr<net::ssl::context>> ServerTlsContext(const TlsOptions& tls) {
  auto context = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1) {
    return InternalError("TLS context settings");
  }
  SSL_CTX_set_options(
      native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  beast::error_code ec;
  context->use_certificate_chain_file(tls.certificate_chain_file, ec);
  if (ec) return TlsConfigError("certificate", tls.certificate_chain_file, ec.message());
  context->use_private_key_file(tls.private_key_file, net::ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(native) != 1) {
    return TlsConfigError("key", tls.private_key_file,
                          ec ? ec.message() : "the key does not match the certificate");
  }
  if (!tls.client_ca_file.empty()) {
    context->load_verify_file(tls.client_ca_file, ec);
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(tls.client_ca_file.c_str());
    if (ec || names == nullptr) {
      return TlsConfigError("client CA", tls.client_ca_file,
                            ec ? ec.message() : "no certificate in the file");
    }
    // The CAs named in the certificate request, so that a client holding several certificates
    // picks the right one.
    SSL_CTX_set_client_CA_list(native, names);
    // verify_peer without fail_if_no_peer_cert: a certificate is checked when one comes. The
    // purpose checked is OpenSSL's server-side default, TLS client (extendedKeyUsage
    // clientAuth), so the PKI's signing certificates are refused here.
    context->set_verify_mode(net::ssl::verify_peer);
    SSL_CTX_set_verify_depth(native, 4);
    // Resumed sessions keep the verified certificate; OpenSSL refuses to resume with client
    // verification on unless sessions carry a context of the server's.
    static constexpr unsigned char kSessionContext[] = "tinhso";
    SSL_CTX_set_session_id_context(native, kSessionContext, sizeof kSessionContext - 1);
  }
  return context;
}

}  // namespace

// The server proper; Server::Impl is this under the name the public header forward-declares.
std::shared_ptr<CostlyAdmission> DefaultCostly(std::shared_ptr<CostlyAdmission> given) {
  if (given) return given;
  const int threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / 2);
  return std::make_shared<CostlyAdmission>(threads, 8 * threads);
}

struct ServerState {
  ServerState(const Router& r, Guard& g, ServerOptions o)
      : router(r),
        guard(g),
        options(std::move(o)),
        limiter(options.rate_per_second, options.rate_burst),
        costly(DefaultCostly(options.costly)),
        workers(static_cast<std::size_t>(std::max(1, options.worker_threads))),
        writers(static_cast<std::size_t>(std::max(1, options.write_threads))),
        costly_pool(static_cast<std::size_t>(costly->threads())),
        contexts(MakeContexts(std::max(1, options.io_threads))),
        ioc(*contexts.front()),
        acceptor(net::make_strand(ioc)),
        grace_timer(ioc),
        signals(ioc) {}

  Result<void> Start();
  void Run();
  void Stop();
  // Binds `to` on options.host:port and listens; returns the bound port.
  Result<unsigned short> Listen(tcp::acceptor& to, unsigned short port);
  // Accepts connections on `from` for as long as it is open: HTTPS ones when `tls`.
  net::awaitable<void> Accept(tcp::acceptor& from, bool tls);
  template <class Stream>
  void Launch(std::shared_ptr<Session<Stream>> session);
  // Admits a new connection from `ip` (false: over a connection limit) and counts it.
  bool Register(Connection* c, std::weak_ptr<Connection> weak, const std::string& ip, bool limited);
  void Unregister(Connection* c, const std::string& ip, bool limited);
  bool Trusted(std::string_view ip) const;
  std::string ClientIp(const tcp::endpoint& peer, std::string_view forwarded_for) const;
  bool ForwardedHttps(const tcp::endpoint& peer, std::string_view forwarded_proto) const;
  void Record(const Exchange& x, std::uint64_t bytes);

  // Runs `f` inline (cheap routes), on the write pool (routes that wait on durable commits) or on
  // a worker thread, and resumes on the caller's strand.
  template <typename F>
  net::awaitable<std::invoke_result_t<F&>> Offload(const Route& route, F f) {
    using R = std::invoke_result_t<F&>;
    if (route.cheap) co_return f();
    // worker_threads == 0: reads run on the I/O threads (see ServerOptions); writes never do,
    // since they wait on the disk, nor costly work, which has its own threads.
    if (!route.writes && !route.costly && options.worker_threads == 0) co_return f();
    auto& pool = route.costly ? costly_pool : route.writes ? writers : workers;
    // co_spawn needs a default-constructible result; Result<T> is not, an optional is.
    std::optional<R> result = co_await net::co_spawn(
        pool.get_executor(),
        [&f, costly = route.costly]() -> net::awaitable<std::optional<R>> {
          if (costly) YieldCpuToOtherWork();
          co_return f();
        },
        net::use_awaitable);
    co_return std::move(*result);
  }

  // Guard + handler, with every failure turned into a JSON response. Never throws.
  Response Invoke(const Route& route, const Request& request, Context& context, bool admitted,
                  std::string_view route_label);
  // The same for a route's async_handler: the guard inline when it cannot block, then the
  // handler, whose reply resumes the connection on its own thread.
  net::awaitable<Response> InvokeAsync(const Route& route, const Request& request, Context& context,
                                       bool admitted, std::string_view route_label);
  // An error as the JSON response, logged by its status class.
  Response Fail(const Error& error, const Request& request, std::string_view route_label);
  Result<core::Actor> Admit(const Route& route, const Request& request);

  const Router& router;
  Guard& guard;
  const ServerOptions options;
  std::optional<internal::StaticFiles> static_files;
  internal::RateLimiter limiter;
  std::unique_ptr<internal::AccessLog> access_log;
  std::atomic<bool> stopping{false};
  std::atomic<bool> started{false};
  unsigned short bound_port = 0;
  unsigned short tls_bound_port = 0;
  // ServerOptions::tls: certificate, key and client CAs, loaded once at Start().
  std::unique_ptr<net::ssl::context> tls_context;

  std::mutex sessions_mu;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> sessions;
  std::unordered_map<std::string, int> connections_by_ip;  // guarded by sessions_mu
  int max_connections = 0;  // options.max_connections, kept under the open-file limit

  // Replies of async handlers not delivered yet: Run() waits for them, since each holds a
  // coroutine of an io_context that must outlive it.
  std::mutex replies_mu;
  std::condition_variable replies_cv;
  int replies_pending = 0;  // guarded by replies_mu

  // Declared last so they are destroyed first: pending handlers and coroutine frames hold
  // references to the members above.
  const std::shared_ptr<CostlyAdmission> costly;
  net::thread_pool workers;
  net::thread_pool writers;
  net::thread_pool costly_pool;
  // One io_context per I/O thread, each run by exactly that thread: a connection lives on one
  // of them (round-robin at accept) and its continuations never wake another thread. With one
  // io_context shared by all I/O threads, every request cost more than one futex wake-up
  // (strace: 1.36 per /healthz), as much as its send and receive together.
  std::vector<std::unique_ptr<net::io_context>> contexts;
  // Every context runs until StopAll(): none may return early for want of work while others
  // still serve (the stop paths below all end with StopAll()).
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  std::atomic<std::size_t> next_context{0};
  net::io_context& ioc;  // the first one: acceptor, signals, shutdown timer
  // Default concurrency hints, not 1: worker threads and Stop() post completions into these
  // contexts from other threads, so their locking must stay on.
  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(int n) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (int i = 0; i < n; ++i) out.push_back(std::make_unique<net::io_context>());
    return out;
  }
  void StopAll() {
    for (auto& c : contexts) c->stop();
  }
  tcp::acceptor acceptor;
  std::optional<tcp::acceptor> tls_acceptor;  // only with ServerOptions::tls
  net::steady_timer grace_timer;
  net::signal_set signals;
};

// One connection, over a bare socket (HTTP) or a TLS stream on one (HTTPS). All of its state is
// touched only on its strand.
template <class Stream>
class Session final : public Connection, public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  // `stream_args`: the socket, and for TLS the context.
  template <class... StreamArgs>
  explicit Session(ServerState& server, StreamArgs&&... stream_args)
      : server_(server),
        stream_(std::forward<StreamArgs>(stream_args)...),
        timer_(stream_.get_executor()) {
    beast::error_code ec;
    peer_ = Socket().remote_endpoint(ec);
    peer_ip_ = peer_.address().to_string();
    per_ip_limited_ =
        std::find(server_.options.trusted_proxies.begin(), server_.options.trusted_proxies.end(),
                  peer_ip_) == server_.options.trusted_proxies.end();
  }
  ~Session() {
    if (registered_) server_.Unregister(this, peer_ip_, per_ip_limited_);
  }

  // Counts the connection against the limits; false when over one (it is then refused).
  bool Admit(std::weak_ptr<Connection> weak) {
    registered_ = server_.Register(this, std::move(weak), peer_ip_, per_ip_limited_);
    return registered_;
  }
  // Answers 503 and closes: too many connections. Written without waiting for the client.
  static net::awaitable<void> Refuse(std::shared_ptr<Session> self);

  static net::awaitable<void> Run(std::shared_ptr<Session> self);

  void CloseIfIdle() override {
    if (idle_) {
      beast::error_code ec;
      Socket().cancel(ec);
    }
  }

  net::any_io_executor executor() override { return stream_.get_executor(); }

 private:
  // The TCP socket under the stream: the stream itself for HTTP.
  tcp::socket& Socket() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }
  // HTTPS: the TLS handshake, within first_request_timeout; keeps the client's certificate.
  net::awaitable<bool> Handshake();
  // Ends the connection: TLS close_notify, the TCP half-close, lingering if needed, close.
  net::awaitable<void> Close();
  net::awaitable<bool> ServeOne();
  net::awaitable<bool> Process(Exchange& x);
  enum class BodyResult { kRead, kAnswered, kGone };
  net::awaitable<BodyResult> ReadBody(Exchange& x, bhttp::request_parser<bhttp::empty_body>& header,
                                      const Route& route);
  net::awaitable<void> Linger();
  net::awaitable<bool> Write(Exchange& x, std::uint64_t* bytes);
  template <typename Body>
  net::awaitable<bool> Send(bhttp::response<Body>& message, std::uint64_t* bytes);
  template <typename Fields>
  void SetHeaders(Exchange& x, Fields& fields);

  // Arms the deadline for the next operation(s); past it the socket's pending operations are
  // cancelled and timed_out_ is set. One timer wait stays out per connection and is moved only
  // when a deadline comes sooner than it; when it fires early it waits again for the deadline.
  // Re-arming the timer for every request (a cancel, a posted handler, a new wait) was ~2.5% of
  // a public lookup's CPU.
  void Arm(std::chrono::steady_clock::duration d) {
    timed_out_ = false;
    deadline_ = SteadyClock::now() + d;
    if (!waiting_ || deadline_ < timer_.expiry()) Wait();
  }
  // No deadline while the guard and the handler run (the wait left out then finds none).
  void Disarm() { deadline_ = SteadyClock::time_point::max(); }
  // The connection is done: the wait must not keep the session alive until it fires.
  void StopTimer() {
    Disarm();
    ++generation_;
    waiting_ = false;
    timer_.cancel();
  }
  // The generation tells a superseded wait (cancelled when the deadline moved sooner) apart.
  void Wait() {
    const std::uint64_t generation = ++generation_;
    waiting_ = true;
    timer_.expires_at(deadline_);
    timer_.async_wait([self = this->shared_from_this(), generation](beast::error_code ec) {
      if (ec || generation != self->generation_) return;
      self->waiting_ = false;
      if (self->deadline_ == SteadyClock::time_point::max()) return;
      if (SteadyClock::now() < self->deadline_) return self->Wait();
      self->timed_out_ = true;
      beast::error_code ignored;
      self->Socket().cancel(ignored);
    });
  }

  ServerState& server_;
  Stream stream_;
  net::steady_timer timer_;
  tcp::endpoint peer_;
  std::string peer_ip_;
  bool per_ip_limited_ = true;  // false for a trusted proxy
  bool registered_ = false;
  bool served_one_ = false;  // a request has been read: idle_timeout applies from now
  beast::flat_buffer buffer_;
  std::uint64_t generation_ = 0;
  SteadyClock::time_point deadline_ = SteadyClock::time_point::max();
  bool waiting_ = false;  // a timer wait is out
  bool timed_out_ = false;
  bool idle_ = false;
  bool linger_ = false;
  bool handshaken_ = false;  // HTTPS: the TLS session is up (close it with close_notify)
  // HTTPS: the client's certificate (DER) when it presented one that chains to the client CAs.
  std::string client_certificate_;
};

// ---- ServerState ---------------------------------------------------------------------------

// Raises the soft open-file limit to the hard one (often 1,024 → 1,048,576): every connection
// holds a descriptor, and at 1,024 a thousand idle sockets made the server unreachable. Returns
// how many connections the limit leaves room for, keeping some descriptors for the database,
// uploads, logs and static files.
int RaiseOpenFileLimit(int wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return wanted;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  constexpr rlim_t kReserved = 256;
  if (limit.rlim_cur == RLIM_INFINITY) return wanted;
  const rlim_t room =
      limit.rlim_cur > 2 * kReserved ? limit.rlim_cur - kReserved : limit.rlim_cur / 2;
  return static_cast<int>(std::min<rlim_t>(room, static_cast<rlim_t>(std::max(1, wanted))));
}

Result<void> ServerState::Start() {
  max_connections = RaiseOpenFileLimit(options.max_connections);
  if (max_connections < options.max_connections) {
    spdlog::warn("http: the open-file limit allows {} connections, not {}", max_connections,
                 options.max_connections);
  }
  if (!options.static_dir.empty()) {
    auto files = internal::StaticFiles::Open(options.static_dir, options.page_renderer);
    if (!files.ok()) return files.error();
    static_files.emplace(std::move(*files));
  }
  std::error_code fs_ec;
  fs::create_directories(options.upload_dir, fs_ec);
  if (fs_ec) {
    return MakeError(ErrorCode::kUnavailable, "http.upload_dir",
                     "Không tạo được thư mục tải lên: " + options.upload_dir,
                     "Cannot create the upload directory: " + options.upload_dir, fs_ec.message());
  }
  auto log = internal::AccessLog::Open(options.access_log_path);
  if (!log.ok()) return log.error();
  access_log = std::move(*log);

  if (options.tls) {
    auto context = ServerTlsContext(*options.tls);
    if (!context.ok()) return context.error();
    tls_context = std::move(*context);
  }
  TINHSO_ASSIGN_OR_RETURN(bound_port, Listen(acceptor, options.port));
  if (options.tls) {
    tls_acceptor.emplace(net::make_strand(ioc));
    TINHSO_ASSIGN_OR_RETURN(tls_bound_port, Listen(*tls_acceptor, options.tls->port));
  }
  auto spawn_accept = [this](tcp::acceptor& from, bool tls) {
    net::co_spawn(from.get_executor(), Accept(from, tls), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::critical("http: accept loop ended: {}", ex.what());
      }
    });
  };
  spawn_accept(acceptor, false);
  if (tls_acceptor) spawn_accept(*tls_acceptor, true);
  beast::error_code ec;
  // Signals are taken from here on, not only once Run() starts: a SIGTERM sent as soon as the
  // server says it listens must stop it cleanly, not kill it.
  if (options.handle_signals) {
    signals.add(SIGINT, ec);
    signals.add(SIGTERM, ec);
    signals.async_wait([this](const beast::error_code& wait_ec, int signal) {
      if (wait_ec) return;
      spdlog::info("http: signal {}, shutting down", signal);
      Stop();
    });
  }
  started = true;
  if (tls_acceptor) {
    spdlog::info("http: listening on {}:{} (HTTP) and {}:{} (HTTPS)", options.host, bound_port,
                 options.host, tls_bound_port);
  } else {
    spdlog::info("http: listening on {}:{}", options.host, bound_port);
  }
  return Ok();
}

Result<unsigned short> ServerState::Listen(tcp::acceptor& to, unsigned short port) {
  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(options.host, ec);
  if (ec) {
    return MakeError(ErrorCode::kInvalidArgument, "http.bad_host",
                     "Địa chỉ lắng nghe không hợp lệ: " + options.host,
                     "Invalid listen address: " + options.host, ec.message());
  }
  const tcp::endpoint endpoint(address, port);
  const std::string where = options.host + ":" + std::to_string(port);
  auto fail = [&](std::string_view step) -> Error {
    return MakeError(ErrorCode::kUnavailable, "http.listen",
                     "Không mở được cổng " + where + " (" + ec.message() + ")",
                     "Cannot listen on " + where + " (" + ec.message() + ")",
                     std::string(step) + ": " + ec.message());
  };
  if (to.open(endpoint.protocol(), ec); ec) return fail("open");
  // Lets a restarted server bind while old connections sit in TIME_WAIT.
  if (to.set_option(net::socket_base::reuse_address(true), ec); ec) return fail("option");
  if (to.bind(endpoint, ec); ec) return fail("bind");
  if (to.listen(net::socket_base::max_listen_connections, ec); ec) return fail("listen");
  return to.local_endpoint(ec).port();
}

net::awaitable<void> ServerState::Accept(tcp::acceptor& from, bool tls) {
  for (;;) {
    net::io_context& home = *contexts[next_context++ % contexts.size()];
    auto [ec, socket] = co_await from.async_accept(home, kNoThrow);
    if (ec) {
      if (stopping || !from.is_open() || ec == net::error::operation_aborted) co_return;
      // EMFILE and friends persist for a while: back off instead of spinning on them.
      spdlog::warn("http: accept failed: {}", ec.message());
      net::steady_timer pause(from.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (tls) {
      Launch(std::make_shared<Session<TlsStream>>(*this, std::move(socket), *tls_context));
    } else {
      Launch(std::make_shared<Session<tcp::socket>>(*this, std::move(socket)));
    }
  }
}

template <class Stream>
void ServerState::Launch(std::shared_ptr<Session<Stream>> session) {
  auto executor = session->executor();
  if (!session->Admit(session)) {
    net::co_spawn(executor, Session<Stream>::Refuse(std::move(session)), [](std::exception_ptr) {});
    return;
  }
  net::co_spawn(executor, Session<Stream>::Run(std::move(session)), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("http: connection ended by an exception: {}", ex.what());
    }
  });
}

bool ServerState::Register(Connection* s, std::weak_ptr<Connection> weak, const std::string& ip,
                           bool limited) {
  std::lock_guard lock(sessions_mu);
  if (static_cast<int>(sessions.size()) >= max_connections) return false;
  if (limited) {
    int& from_ip = connections_by_ip[ip];
    if (from_ip >= options.max_connections_per_ip) {
      if (from_ip == 0) connections_by_ip.erase(ip);
      return false;
    }
    ++from_ip;
  }
  sessions.emplace(s, std::move(weak));
  return true;
}

void ServerState::Unregister(Connection* s, const std::string& ip, bool limited) {
  std::lock_guard lock(sessions_mu);
  if (limited) {
    if (auto it = connections_by_ip.find(ip); it != connections_by_ip.end() && --it->second <= 0) {
      connections_by_ip.erase(it);
    }
  }
  sessions.erase(s);
  // The last connection of a draining server ends the run.
  if (stopping && sessions.empty() && !ioc.stopped()) StopAll();
}

void ServerState::Run() {
  if (!started) return;
  for (auto& c : contexts) keep_running.push_back(net::make_work_guard(*c));
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < contexts.size(); ++i) {
    threads.emplace_back([this, i] { contexts[i]->run(); });
  }
  ioc.run();
  for (auto& t : threads) t.join();
  // Handlers still running after the grace period are waited for here: a worker thread cannot
  // be interrupted safely. Their completions land in the stopped io_context and are dropped.
  workers.join();
  writers.join();
  costly_pool.join();
  {
    // The database answers every statement (within its statement timeout); the replies land
    // in the stopped io_contexts and are dropped with them.
    std::unique_lock lock(replies_mu);
    replies_cv.wait(lock, [this] { return replies_pending == 0; });
  }
  if (access_log) access_log->Flush();
  spdlog::info("http: stopped");
}

void ServerState::Stop() {
  if (stopping.exchange(true)) return;
  net::post(acceptor.get_executor(), [this] {
    beast::error_code ec;
    acceptor.close(ec);
  });
  if (tls_acceptor) {
    net::post(tls_acceptor->get_executor(), [this] {
      beast::error_code ec;
      tls_acceptor->close(ec);
    });
  }
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(sessions_mu);
    for (auto& [raw, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) {
    auto executor = s->executor();
    net::post(executor, [s = std::move(s)] { s->CloseIfIdle(); });
  }
  net::post(ioc, [this] {
    beast::error_code ec;
    signals.cancel(ec);
    grace_timer.expires_after(options.shutdown_grace);
    grace_timer.async_wait([this](const beast::error_code& wait_ec) {
      if (wait_ec) return;
      std::size_t left = 0;
      {
        std::lock_guard lock(sessions_mu);
        left = sessions.size();
      }
      spdlog::warn("http: shutdown grace period over, abandoning {} connection(s)", left);
      StopAll();
    });
    std::lock_guard lock(sessions_mu);
    if (sessions.empty()) StopAll();
  });
}

bool ServerState::Trusted(std::string_view ip) const {
  for (const auto& p : options.trusted_proxies) {
    if (p == ip) return true;
  }
  return false;
}

std::string ServerState::ClientIp(const tcp::endpoint& peer, std::string_view forwarded_for) const {
  std::string ip = peer.address().to_string();
  if (forwarded_for.empty() || !Trusted(ip)) return ip;
  // Right to left: the nearest hop that is not one of our proxies is the client. Entries left
  // of it were written by the client itself and prove nothing.
  while (!forwarded_for.empty()) {
    const std::size_t comma = forwarded_for.rfind(',');
    std::string_view hop =
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for =
        comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    while (!hop.empty() && hop.front() == ' ') hop.remove_prefix(1);
    while (!hop.empty() && hop.back() == ' ') hop.remove_suffix(1);
    beast::error_code ec;
    const auto address = net::ip::make_address(std::string(hop), ec);
    if (ec) return ip;  // garbage: trust nothing beyond the proxy we know
    ip = address.to_string();
    if (!Trusted(ip)) return ip;
  }
  return ip;
}

// Only a trusted proxy may say the client used HTTPS; anyone else's header is ignored. The
// first (leftmost) entry is the scheme of the hop nearest the client.
bool ServerState::ForwardedHttps(const tcp::endpoint& peer,
                                 std::string_view forwarded_proto) const {
  if (forwarded_proto.empty() || !Trusted(peer.address().to_string())) return false;
  std::string_view first = forwarded_proto.substr(0, forwarded_proto.find(','));
  while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
  while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
  return beast::iequals(first, "https");
}

Result<core::Actor> ServerState::Admit(const Route& route, const Request& request) {
  try {
    return guard.Admit(request, route);
  } catch (const std::exception& e) {
    return InternalError(std::string("Guard::Admit threw: ") + e.what());
  } catch (...) {
    return InternalError("Guard::Admit threw a non-standard exception");
  }
}

Response ServerState::Fail(const Error& error, const Request& request,
                           std::string_view route_label) {
  // 5xx are our problem: log the detail (never sent). 4xx are the client's: debug only.
  if (StatusFor(error.code) >= 500) {
    spdlog::error("http: {} {} {} → {} {} ({})", request.request_id, MethodName(request.method),
                  route_label, ErrorCodeName(error.code), error.reason, error.detail);
  } else if (!error.detail.empty()) {
    spdlog::debug("http: {} {} {} → {} {} ({})", request.request_id, MethodName(request.method),
                  route_label, ErrorCodeName(error.code), error.reason, error.detail);
  }
  return ErrorResponse(error, request.request_id);
}

namespace {

// What stands behind one Responder: it hands the response to the waiting coroutine on the
// coroutine's own executor, once; if every copy of the Responder is dropped unanswered, the
// client gets a 500 rather than a connection that hangs.
template <typename Handler>
class ReplyState {
 public:
  ReplyState(ServerState& server, Handler handler, const Request& request,
             std::string_view route_label)
      : server_(server), handler_(std::move(handler)), request_(request), label_(route_label) {
    std::lock_guard lock(server_.replies_mu);
    ++server_.replies_pending;
  }
  ~ReplyState() { Deliver(InternalError("the handler dropped its reply")); }
  ReplyState(const ReplyState&) = delete;
  ReplyState& operator=(const ReplyState&) = delete;

  void Deliver(Result<Response> result) {
    if (delivered_.exchange(true)) return;
    Response response =
        result.ok() ? std::move(*result) : server_.Fail(result.error(), request_, label_);
    // From here on the request may be gone: the coroutine can resume at any moment.
    auto executor = net::get_associated_executor(handler_);
    net::post(executor, [handler = std::move(handler_), response = std::move(response)]() mutable {
      std::move(handler)(std::move(response));
    });
    std::lock_guard lock(server_.replies_mu);
    if (--server_.replies_pending == 0) server_.replies_cv.notify_all();
  }

 private:
  ServerState& server_;
  Handler handler_;
  const Request& request_;
  std::string_view label_;  // in the Exchange, which outlives the wait
  std::atomic<bool> delivered_{false};
};

}  // namespace

net::awaitable<Response> ServerState::InvokeAsync(const Route& route, const Request& request,
                                                  Context& context, bool admitted,
                                                  std::string_view route_label) {
  if (!admitted) {
    // Without credentials the guard decides from the policy alone; a token or a cookie may
    // need a database read, which must not hold the I/O thread.
    const bool credentials =
        !request.Header("authorization").empty() || !request.Header("cookie").empty();
    // (No co_await inside ?: — GCC 12 miscompiles it.)
    std::optional<Result<core::Actor>> actor;
    if (credentials) {
      actor.emplace(co_await Offload(route, [&] { return Admit(route, request); }));
    } else {
      actor.emplace(Admit(route, request));
    }
    if (!actor->ok()) co_return Fail(actor->error(), request, route_label);
    context.actor = std::move(**actor);
  }
  auto initiate = [&](auto handler) {
    auto state = std::make_shared<ReplyState<decltype(handler)>>(*this, std::move(handler), request,
                                                                 route_label);
    Responder reply = [state](Result<Response> result) { state->Deliver(std::move(result)); };
    try {
      route.async_handler(request, context, std::move(reply));
    } catch (const std::exception& e) {
      state->Deliver(InternalError(std::string("handler threw: ") + e.what()));
    } catch (...) {
      state->Deliver(InternalError("handler threw a non-standard exception"));
    }
  };
  co_return co_await net::async_initiate<decltype(net::use_awaitable), void(Response)>(
      initiate, net::use_awaitable);
}

Response ServerState::Invoke(const Route& route, const Request& request, Context& context,
                             bool admitted, std::string_view route_label) {
  auto fail = [&](const Error& error) { return Fail(error, request, route_label); };
  if (!admitted) {
    Result<core::Actor> actor = Admit(route, request);
    if (!actor.ok()) return fail(actor.error());
    context.actor = std::move(*actor);
  }
  try {
    Result<Response> result = route.handler(request, context);
    if (!result.ok()) return fail(result.error());
    return std::move(*result);
  } catch (const std::exception& e) {
    return fail(InternalError(std::string("handler threw: ") + e.what()));
  } catch (...) {
    return fail(InternalError("handler threw a non-standard exception"));
  }
}

namespace {

// The request counter and duration histogram of one route, method and status. Each I/O thread
// looks them up in the registry once, not per request: building a label set allocates.
struct RequestMetrics {
  core::Counter* requests;
  core::Histogram* duration;
};

using RequestMetricsKey = std::tuple<std::string, std::string, int>;
using RequestMetricsView = std::tuple<std::string_view, std::string_view, int>;
// Compares stored keys and probes alike as views (clang rejects comparing mixed tuple types).
struct RequestMetricsLess {
  using is_transparent = void;
  static RequestMetricsView AsView(const RequestMetricsKey& k) {
    return {std::get<0>(k), std::get<1>(k), std::get<2>(k)};
  }
  static RequestMetricsView AsView(const RequestMetricsView& v) { return v; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return AsView(a) < AsView(b);
  }
};

const RequestMetrics& RequestMetricsFor(std::string_view route, std::string_view method,
                                        int status) {
  thread_local std::map<RequestMetricsKey, RequestMetrics, RequestMetricsLess> cache;
  const RequestMetricsView probe(route, method, status);
  if (auto it = cache.find(probe); it != cache.end()) return it->second;
  auto& metrics = core::Metrics::Global();
  const RequestMetrics found{
      &metrics.GetCounter("tinhso_http_requests_total",
                          "HTTP requests by route pattern, method, status",
                          {{"route", std::string(route)},
                           {"method", std::string(method)},
                           {"status", std::to_string(status)}}),
      &metrics.GetHistogram("tinhso_http_request_duration_seconds",
                            "HTTP request duration in seconds, by route pattern",
                            {{"route", std::string(route)}})};
  return cache.emplace(RequestMetricsKey(route, method, status), found).first->second;
}

}  // namespace

void ServerState::Record(const Exchange& x, std::uint64_t bytes) {
  const auto elapsed = SteadyClock::now() - x.started;
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const int status = x.response.status;
  const RequestMetrics& metrics = RequestMetricsFor(x.route_label, x.method_label, status);
  metrics.requests->Add();
  metrics.duration->Observe(seconds);
  if (access_log) {
    access_log->Write({.time = std::chrono::system_clock::now(),
                       .request_id = x.request.request_id,
                       .ip = x.request.client_ip,
                       .method = x.method_label,
                       .path = x.log_path,
                       .route = x.route_label,
                       .status = status,
                       .bytes = bytes,
                       .duration_ms = seconds * 1000.0,
                       .user_id = x.user_id});
  }
}

// ---- Session --------------------------------------------------------------------------------

template <class Stream>
net::awaitable<void> Session<Stream>::Run(std::shared_ptr<Session> self) {
  ServerState& server = self->server_;
  if constexpr (kTls) {
    if (!co_await self->Handshake()) {
      self->StopTimer();
      beast::error_code ec;
      self->Socket().close(ec);
      co_return;
    }
  }
  for (;;) {
    if (server.stopping) break;
    if (self->buffer_.size() == 0) {
      // Idle between requests. Reading one chunk here (rather than starting the header parse)
      // lets idle_timeout and read_timeout differ, and lets Stop() close idle connections.
      self->idle_ = true;
      self->Arm(self->served_one_ ? server.options.idle_timeout
                                  : server.options.first_request_timeout);
      auto [ec, n] =
          co_await self->stream_.async_read_some(self->buffer_.prepare(kIdleReadSize), kNoThrow);
      self->idle_ = false;
      if (ec) break;
      self->buffer_.commit(n);
    }
    self->served_one_ = true;
    if (!co_await self->ServeOne()) break;
  }
  co_await self->Close();
}

// The certificate a client presented is kept only when it chained to the client CAs
// (TlsOptions::client_ca_file); one that does not fails the handshake. Revocation is not
// checked here, on purpose: a handshake's verdict would outlive a revocation for as long as the
// connection, so whoever relies on the certificate (the data-integration gateway) looks its
// serial up in the PKI for each request, and a revocation takes effect at once.
template <class Stream>
net::awaitable<bool> Session<Stream>::Handshake() {
  idle_ = true;  // like waiting for a first request: Stop() closes it
  Arm(server_.options.first_request_timeout);
  auto [ec] = co_await stream_.async_handshake(net::ssl::stream_base::server, kNoThrow);
  idle_ = false;
  if (ec) {
    // Plain HTTP on this port, a client certificate from another CA, a scanner, a timeout: the
    // client's problem, told to it by the TLS alert; ours to count.
    static core::Counter& failures = core::Metrics::Global().GetCounter(
        "tinhso_http_tls_handshake_failures_total",
        "TLS handshakes that failed (an untrusted client certificate, plain HTTP on the HTTPS "
        "port, a timeout)",
        {});
    failures.Add();
    spdlog::debug("http: TLS handshake with {} failed: {}", peer_ip_,
                  timed_out_ ? std::string("timeout") : ec.message());
    co_return false;
  }
  handshaken_ = true;
  SSL* ssl = stream_.native_handle();
  const X509* peer = SSL_get0_peer_certificate(ssl);
  if (peer != nullptr && SSL_get_verify_result(ssl) == X509_V_OK) {
    const int length = i2d_X509(peer, nullptr);
    if (length > 0) {
      client_certificate_.resize(static_cast<std::size_t>(length));
      auto* out = reinterpret_cast<unsigned char*>(client_certificate_.data());
      i2d_X509(peer, &out);
    }
  }
  co_return true;
}

template <class Stream>
net::awaitable<void> Session<Stream>::Close() {
  beast::error_code ec;
  if constexpr (kTls) {
    // close_notify, so that the client knows the response was not cut short; its answer is
    // awaited for a moment at most. Not while the client may still be sending a body (linger):
    // the TLS layer would then have to read through it.
    if (handshaken_ && !linger_) {
      Arm(std::chrono::seconds(1));
      auto [shutdown_ec] = co_await stream_.async_shutdown(kNoThrow);
      (void)shutdown_ec;
    }
  }
  Socket().shutdown(tcp::socket::shutdown_send, ec);
  if (linger_) co_await Linger();
  StopTimer();
  Socket().close(ec);
}

template <class Stream>
net::awaitable<void> Session<Stream>::Refuse(std::shared_ptr<Session> self) {
  beast::error_code ignored;
  if constexpr (kTls) {
    // A TLS client cannot read plain text, and a handshake is the work a refusal saves.
    self->Socket().close(ignored);
    co_return;
  }
  static constexpr std::string_view kBusy =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
      "Retry-After: 5\r\nConnection: close\r\nContent-Length: 157\r\n\r\n"
      R"({"error":{"code":"http.too_many_connections","message":"Có quá nhiều kết nối đang mở.",)"
      R"("message_en":"Too many open connections.","request_id":""}})";
  static_assert(kBusy.size() - kBusy.find("\r\n\r\n") - 4 == 157 &&
                kBusy.find("Content-Length: 157\r\n") != std::string_view::npos);
  self->Arm(std::chrono::seconds(1));
  auto [ec, n] = co_await net::async_write(self->stream_, net::buffer(kBusy), kNoThrow);
  (void)ec;
  (void)n;
  self->StopTimer();
  self->Socket().shutdown(tcp::socket::shutdown_both, ignored);
  self->Socket().close(ignored);
}

// After an early answer (413, 401 on an upload…) the client may still be sending its body.
// Closing with unread data makes the kernel send RST, which can destroy the answer before the
// client reads it; so read and discard for a moment first, as nginx's lingering close does.
// The bytes are read under TLS too: they are only drained, never decrypted.
template <class Stream>
net::awaitable<void> Session<Stream>::Linger() {
  idle_ = true;  // Stop() may cut this short
  Arm(std::chrono::seconds(1));
  std::array<char, 16 * 1024> discard;
  std::size_t total = 0;
  while (total < (4u << 20)) {
    auto [ec, n] = co_await Socket().async_read_some(net::buffer(discard), kNoThrow);
    if (ec) break;
    total += n;
  }
}

template <class Stream>
net::awaitable<bool> Session<Stream>::ServeOne() {
  Exchange x;
  x.started = SteadyClock::now();
  const bool respond = co_await Process(x);
  if (!respond) co_return false;
  if (server_.stopping) x.keep_alive = false;
  if (x.unread_body) linger_ = true;
  std::uint64_t bytes = 0;
  const bool written = co_await Write(x, &bytes);
  server_.Record(x, bytes);
  const bool again = written && x.keep_alive;
  co_return again;
}

// Reads the header and decides the response. Returns false when the peer is gone and nothing
// can be answered; x.keep_alive says whether the connection may serve another request.
template <class Stream>
net::awaitable<bool> Session<Stream>::Process(Exchange& x) {
  const ServerOptions& options = server_.options;
  bhttp::request_parser<bhttp::empty_body> header;
  header.header_limit(static_cast<std::uint32_t>(options.header_limit));
  // Content-Length is checked against the route's own limit below, once the route is known.
  header.body_limit(boost::none);

  Arm(options.read_timeout);
  auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, header, kNoThrow);
  (void)n;
  x.request.request_id = internal::NewRequestId();
  x.request.client_ip = peer_.address().to_string();
  if (ec) {
    x.keep_alive = false;
    if (timed_out_) {
      x.route_label = "timeout";
      x.response = Timeout(x.request.request_id);
      co_return true;
    }
    if (ec == bhttp::error::header_limit) {
      x.response =
          internal::ServerError(ErrorCode::kInvalidArgument, "http.header_too_large",
                                "Phần đầu (header) của yêu cầu quá lớn.",
                                "The request headers are too large.", x.request.request_id, 431);
      co_return true;
    }
    if (IsDisconnect(ec)) co_return false;
    x.response = BadRequest(x.request.request_id);
    co_return true;
  }

  auto& message = header.get();
  const bool body_pending = !header.is_done();
  const bool client_keep_alive = message.keep_alive();
  x.version = message.version();
  x.keep_alive = client_keep_alive && !body_pending;
  x.unread_body = body_pending;
  Request& request = x.request;
  if (auto id = message["X-Request-Id"]; internal::IsSaneRequestId(id)) {
    request.request_id = std::string(id);
  }
  request.client_ip = server_.ClientIp(peer_, message["X-Forwarded-For"]);
  request.https = kTls || server_.ForwardedHttps(peer_, message["X-Forwarded-Proto"]);
  if constexpr (kTls) request.client_certificate = client_certificate_;
  for (const auto& field : message) {
    request.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
  }
  const std::string_view target(message.target().data(), message.target().size());
  x.log_path = std::string(target.substr(0, target.find('?')));

  const std::optional<Method> method = internal::ParseMethod(
      std::string_view(message.method_string().data(), message.method_string().size()));
  if (method) {
    request.method = *method;
    x.method_label = std::string(MethodName(*method));
    x.head = *method == Method::kHead;
  }

  // Rate limit before any work that depends on the request's content.
  int retry_after = 1;
  if (!server_.limiter.Allow(request.client_ip, SteadyClock::now(), &retry_after)) {
    x.route_label = "rate_limited";
    x.response = internal::ServerError(ErrorCode::kResourceExhausted, "http.rate_limited",
                                       "Quá nhiều yêu cầu. Vui lòng thử lại sau ít giây.",
                                       "Too many requests. Please retry in a few seconds.",
                                       request.request_id);
    x.response.headers.emplace_back("retry-after", std::to_string(retry_after));
    co_return true;
  }

  // The target: origin form ("/a?b") as browsers send it, absolute form from some proxies.
  auto url = boost::urls::parse_origin_form(target);
  if (!url) url = boost::urls::parse_absolute_uri(target);
  if (!url) {
    x.response = BadRequest(request.request_id);
    x.keep_alive = false;
    co_return true;
  }
  request.path = url->path();
  if (request.path.empty()) request.path = "/";
  request.raw_query = url->encoded_query();
  x.log_path = request.path;
  boost::urls::encoding_opts form;
  form.space_as_plus = true;  // HTML forms encode spaces as '+'
  for (const auto& param : url->params(form)) {
    request.query.emplace(param.key, param.has_value ? param.value : std::string());
  }

  if (!method) {
    // A method the server implements nowhere (TRACE, PROPFIND…) is 501 whatever the path
    // (RFC 9110 §15.6.2); 405 means "this path has other methods" and lists them in Allow.
    // No ErrorCode of its own: nothing but the server ever answers this.
    x.route_label = "not_implemented";
    x.response = internal::ServerError(ErrorCode::kInvalidArgument, "http.not_implemented",
                                       "Máy chủ không hỗ trợ phương thức HTTP này.",
                                       "The server does not implement this HTTP method.",
                                       request.request_id, 501);
    co_return true;
  }

  Router::Match match = server_.router.Find(request.method, request.path);
  if (match.route == nullptr) {
    const bool get_like = request.method == Method::kGet || request.method == Method::kHead;
    if (!match.path_exists && get_like && !IsApiPath(request.path) && server_.static_files) {
      x.route_label = "static";
      if (request.query.empty()) {
        x.response = server_.static_files->Serve(request);
      } else {
        // A page drawn from the query (a search, a dossier's lookup) may read the database:
        // on a worker, like a route that reads.
        static const Route kQueryPage{};
        Disarm();
        x.response = co_await server_.Offload(kQueryPage,
                                              [&] { return server_.static_files->Serve(request); });
      }
      co_return true;
    }
    if (match.path_exists) {
      x.route_label = "method_not_allowed";
      x.response = internal::ServerError(ErrorCode::kMethodNotAllowed, "http.method_not_allowed",
                                         "Phương thức không được hỗ trợ cho địa chỉ này.",
                                         "This method is not allowed for this resource.",
                                         request.request_id);
      std::string allow;
      for (Method m : match.allowed) {
        if (!allow.empty()) allow += ", ";
        allow += MethodName(m);
      }
      x.response.headers.emplace_back("allow", allow);
    } else {
      x.route_label = "not_found";
      x.response = internal::ServerError(ErrorCode::kNotFound, "http.not_found",
                                         "Không tìm thấy địa chỉ yêu cầu.", "No such resource.",
                                         request.request_id);
    }
    co_return true;
  }

  const Route& route = *match.route;
  x.route_label = route.path;
  // Costly work anyone may ask for waits in a bounded queue of its own: when it is full the
  // answer comes at once, and officers' requests never queue behind it.
  struct CostlyTicket {
    CostlyAdmission* admission = nullptr;
    ~CostlyTicket() {
      if (admission != nullptr) admission->Leave();
    }
  } ticket;
  if (route.costly) {
    if (!server_.costly->TryEnter()) {
      x.response = internal::ServerError(
          ErrorCode::kUnavailable, "http.busy",
          "Hệ thống đang bận xử lý nhiều yêu cầu cùng loại. Vui lòng thử lại sau ít giây.",
          "The server is busy with many requests of this kind. Please try again in a few "
          "seconds.",
          request.request_id);
      x.response.headers.emplace_back("retry-after", "2");
      co_return true;
    }
    ticket.admission = server_.costly.get();
  }
  Context context;
  context.params = std::move(match.params);
  context.request_id = request.request_id;
  bool admitted = false;

  // No socket operation is pending while the guard and the handler run; the handler's own time is
  // not bounded by read_timeout.
  Disarm();
  if (body_pending) {
    // Admit before reading the body: an upload the policy refuses is never read from the wire.
    Result<core::Actor> actor =
        co_await server_.Offload(route, [&] { return server_.Admit(route, request); });
    if (!actor.ok()) {
      x.response = ErrorResponse(actor.error(), request.request_id);
      co_return true;
    }
    context.actor = std::move(*actor);
    x.user_id = context.actor.user_id;
    admitted = true;
    switch (co_await ReadBody(x, header, route)) {
      case BodyResult::kGone:
        co_return false;
      case BodyResult::kAnswered:
        co_return true;
      case BodyResult::kRead:
        break;
    }
    x.unread_body = false;
    x.keep_alive = client_keep_alive;
    Disarm();
  }

  if (route.async_handler && server_.options.async_handlers) {
    x.response = co_await server_.InvokeAsync(route, request, context, admitted, x.route_label);
  } else {
    x.response = co_await server_.Offload(
        route, [&] { return server_.Invoke(route, request, context, admitted, x.route_label); });
  }
  x.user_id = context.actor.user_id;
  co_return true;
}

// Reads the body into memory, or for a large upload into a temporary file. kAnswered: a JSON
// error (408, 413, 400, 500) is in x.response and the rest of the body stays unread.
template <class Stream>
net::awaitable<typename Session<Stream>::BodyResult> Session<Stream>::ReadBody(
    Exchange& x, bhttp::request_parser<bhttp::empty_body>& header, const Route& route) {
  const ServerOptions& options = server_.options;
  const std::uint64_t limit = route.upload ? options.upload_limit : options.body_limit;
  const auto length = header.content_length();
  if (length && *length > limit) {
    x.response = TooLarge(x.request.request_id);
    co_return BodyResult::kAnswered;
  }
  if (header.get().version() >= 11 &&
      beast::iequals(header.get()[bhttp::field::expect], "100-continue")) {
    // The client waits for this before sending a large body (curl does above 1 MB).
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    Arm(options.read_timeout);
    auto [ec, n] = co_await net::async_write(stream_, net::buffer(kContinue), kNoThrow);
    (void)n;
    if (ec) co_return BodyResult::kGone;
  }

  // Shared by both body kinds: read until the parser is done, each read within read_timeout.
  auto read_all = [&](auto& parser) -> net::awaitable<beast::error_code> {
    while (!parser.is_done()) {
      Arm(options.read_timeout);
      auto [ec, n] = co_await bhttp::async_read_some(stream_, buffer_, parser, kNoThrow);
      (void)n;
      if (ec) co_return ec;
    }
    co_return beast::error_code{};
  };
  auto fail = [&](const beast::error_code& ec) {
    if (timed_out_) {
      x.response = Timeout(x.request.request_id);
      return BodyResult::kAnswered;
    }
    if (ec == bhttp::error::body_limit) {
      x.response = TooLarge(x.request.request_id);
      return BodyResult::kAnswered;
    }
    if (IsDisconnect(ec)) return BodyResult::kGone;
    if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) {
      // Not the client's fault: the disk is full, the upload directory vanished…
      spdlog::error("http: {} reading the body failed: {}", x.request.request_id, ec.message());
      x.response = ErrorResponse(InternalError("body read: " + ec.message()), x.request.request_id);
      return BodyResult::kAnswered;
    }
    x.response = BadRequest(x.request.request_id);
    return BodyResult::kAnswered;
  };

  // An upload whose declared length fits the in-memory limit is read like any other body:
  // creating and deleting a file for each request (ext4 allocating an inode among the recently
  // deleted ones) took about a fifth of a dossier submission's CPU.
  if (!route.upload || (length && *length <= options.body_limit)) {
    bhttp::request_parser<bhttp::string_body> parser(std::move(header));
    parser.body_limit(options.body_limit);  // still needed for chunked bodies, which have no length
    const beast::error_code ec = co_await read_all(parser);
    if (ec) co_return fail(ec);
    x.request.body = std::move(parser.get().body());
    co_return BodyResult::kRead;
  }

  x.upload = std::make_unique<TempFile>(fs::path(options.upload_dir) /
                                        (internal::NewRequestId() + ".upload"));
  bhttp::request_parser<bhttp::file_body> parser(std::move(header));
  parser.body_limit(limit);
  beast::error_code open_ec;
  // write_new: refuse to reuse an existing file, whatever the name collision.
  parser.get().body().open(x.upload->path.c_str(), beast::file_mode::write_new, open_ec);
  if (open_ec) {
    spdlog::error("http: {} cannot create upload file {}: {}", x.request.request_id,
                  x.upload->path.string(), open_ec.message());
    x.response =
        ErrorResponse(InternalError("upload file: " + open_ec.message()), x.request.request_id);
    co_return BodyResult::kAnswered;
  }
  const beast::error_code ec = co_await read_all(parser);
  parser.get().body().close();
  if (ec) co_return fail(ec);
  std::error_code size_ec;
  x.request.upload_path = x.upload->path.string();
  x.request.upload_size = fs::file_size(x.upload->path, size_ec);
  co_return BodyResult::kRead;
}

template <class Stream>
template <typename Fields>
void Session<Stream>::SetHeaders(Exchange& x, Fields& fields) {
  const Response& r = x.response;
  const bool html = r.content_type.starts_with("text/html");
  for (const auto& [name, value] : r.headers) {
    // Framing headers are the server's; CR/LF would split the response (header injection).
    const std::string lower = Lower(name);
    if (lower == "content-length" || lower == "transfer-encoding" || lower == "connection" ||
        name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      spdlog::warn("http: {} dropped response header '{}'", x.request.request_id, name);
      continue;
    }
    const bhttp::field known = bhttp::string_to_field(name);
    if (known == bhttp::field::content_type) {
      fields.set(known, value);  // overrides Response::content_type
    } else if (known != bhttp::field::unknown) {
      fields.insert(known, value);  // canonical spelling: "etag" goes out as "ETag"
    } else {
      fields.insert(name, value);
    }
  }
  fields.set(bhttp::field::date, HttpDate());
  fields.set("X-Request-Id", x.request.request_id);
  fields.set("X-Content-Type-Options", "nosniff");
  fields.set(bhttp::field::x_frame_options, "DENY");
  fields.set("Referrer-Policy", "same-origin");
  if (html && !HasHeader(r.headers, "content-security-policy")) {
    fields.set("Content-Security-Policy", kCsp);
  }
  // API answers carry personal data: no shared or browser cache unless the handler says so.
  if (IsApiPath(x.request.path) && !HasHeader(r.headers, "cache-control")) {
    fields.set(bhttp::field::cache_control, "no-store");
  }
}

template <class Stream>
template <typename Body>
net::awaitable<bool> Session<Stream>::Send(bhttp::response<Body>& message, std::uint64_t* bytes) {
  bhttp::response_serializer<Body> serializer(message);
  while (!serializer.is_done()) {
    Arm(server_.options.read_timeout);  // for each write: a slow reader may still be reading
    auto [ec, n] = co_await bhttp::async_write_some(stream_, serializer, kNoThrow);
    (void)n;
    if (ec) {
      if (timed_out_) {
        spdlog::info("http: {} client stopped reading, closing", message["X-Request-Id"]);
      }
      co_return false;
    }
  }
  Disarm();
  *bytes = message.payload_size().value_or(0);
  co_return true;
}

template <class Stream>
net::awaitable<bool> Session<Stream>::Write(Exchange& x, std::uint64_t* bytes) {
  Response& r = x.response;
  const bool no_body = r.status == 204 || r.status == 304 || r.status < 200;

  if (!r.file_path.empty() && !no_body) {
    bhttp::file_body::value_type file;
    beast::error_code ec;
    file.open(r.file_path.c_str(), beast::file_mode::scan, ec);
    if (!ec) {
      const std::uint64_t size = file.size();
      if (x.head) {
        bhttp::response<bhttp::empty_body> message(static_cast<bhttp::status>(r.status), x.version);
        message.set(bhttp::field::content_type, r.content_type);
        SetHeaders(x, message);
        message.content_length(size);
        message.keep_alive(x.keep_alive);
        const bool ok = co_await Send(message, bytes);
        co_return ok;
      }
      bhttp::response<bhttp::file_body> message(static_cast<bhttp::status>(r.status), x.version,
                                                std::move(file));
      message.set(bhttp::field::content_type, r.content_type);
      SetHeaders(x, message);
      message.prepare_payload();
      message.keep_alive(x.keep_alive);
      const bool ok = co_await Send(message, bytes);
      co_return ok;
    }
    spdlog::error("http: {} cannot open response file {}: {}", x.request.request_id, r.file_path,
                  ec.message());
    const bool missing = ec == beast::errc::no_such_file_or_directory;
    x.response = missing ? internal::ServerError(ErrorCode::kNotFound, "http.not_found",
                                                 "Không tìm thấy tệp.", "File not found.",
                                                 x.request.request_id)
                         : ErrorResponse(InternalError(ec.message()), x.request.request_id);
  }

  if (no_body || x.head) {
    bhttp::response<bhttp::empty_body> message(static_cast<bhttp::status>(r.status), x.version);
    if (!no_body) {
      message.set(bhttp::field::content_type, r.content_type);
      message.content_length(r.body.size());
    }
    SetHeaders(x, message);
    message.keep_alive(x.keep_alive);
    const bool ok = co_await Send(message, bytes);
    co_return ok;
  }
  bhttp::response<bhttp::string_body> message(static_cast<bhttp::status>(r.status), x.version,
                                              std::move(r.body));
  message.set(bhttp::field::content_type, r.content_type);
  SetHeaders(x, message);
  message.prepare_payload();
  message.keep_alive(x.keep_alive);
  const bool ok = co_await Send(message, bytes);
  co_return ok;
}

// ---- Server ---------------------------------------------------------------------------------

struct Server::Impl : ServerState {
  using ServerState::ServerState;
};

Server::Server(const Router& router, Guard& guard, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, guard, std::move(options))) {}

Server::~Server() = default;

Result<void> Server::Start() { return impl_->Start(); }
unsigned short Server::port() const { return impl_->bound_port; }
unsigned short Server::tls_port() const { return impl_->tls_bound_port; }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

Result<void> Serve(const Router& router, Guard& guard, ServerOptions options) {
  Server server(router, guard, std::move(options));
  TINHSO_RETURN_IF_ERROR(server.Start());
  server.Run();
  return Ok();
}

}  // namespace tinhso::http
