#include "desk/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <leptonica/allheaders.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <string_view>

#include "catalog/catalog.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "desk/assets.h"
#include "desk/desk.h"
#include "doctypes/doctypes.h"

namespace sohoa::desk {
namespace stdfs = std::filesystem;

bool is_loopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr a{};
  return ::inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

namespace {

/// A record's confidence under which it asks a person even without a review reason.
constexpr double kLowConfidence = 0.7;
/// How long a clerk's open record counts as "being edited" without a heartbeat from the page.
constexpr int kPresenceSeconds = 45;

httplib::Server* g_server = nullptr;
void on_signal(int) {
  if (g_server) g_server->stop();
}

void send_json(httplib::Response& res, int status, const ojson& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, ojson::error_handler_t::replace), "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, int status, const std::string& what, const ojson& details = nullptr) {
  ojson body = {{"error", what}};
  if (!details.is_null()) body["details"] = details;
  send_json(res, status, body);
}

bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_token() {
  unsigned char raw[18];
  if (RAND_bytes(raw, sizeof raw) != 1) throw Error(ErrorCode::internal, "no random bytes for a token");
  static const char* hex = "0123456789abcdef";
  std::string t;
  for (unsigned char c : raw) t += hex[c >> 4], t += hex[c & 15];
  return t;
}

std::string cookie_token(const httplib::Request& req) {
  const std::string c = req.get_header_value("Cookie");
  const std::string key = "sohoa_desk=";
  for (size_t at = 0; at < c.size();) {
    size_t end = c.find(';', at);
    if (end == std::string::npos) end = c.size();
    size_t s = at;
    while (s < end && c[s] == ' ') ++s;
    if (c.compare(s, key.size(), key) == 0) return c.substr(s + key.size(), end - s - key.size());
    at = end + 1;
  }
  return "";
}

/// A page of document.pdf as JPEG, rendered at dpi (what the words' boxes are measured in is the
/// page's own dpi; the page scales them by dpi / page dpi).
std::string render_jpeg(const stdfs::path& pdf, int index, double dpi) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(pdf.string()));
  if (!doc || index < 0 || index >= doc->pages()) return "";
  std::unique_ptr<poppler::page> page(doc->create_page(index));
  if (!page) return "";
  poppler::page_renderer r;
  r.set_render_hint(poppler::page_renderer::antialiasing, true);
  r.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  r.set_image_format(poppler::image::format_argb32);
  poppler::image img = r.render_page(page.get(), dpi, dpi);
  if (!img.is_valid()) return "";
  const int w = img.width(), h = img.height();
  PIX* pix = pixCreate(w, h, 32);
  l_uint32* dst = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < h; ++y) {
    const uint32_t* row = reinterpret_cast<const uint32_t*>(img.const_data() + y * img.bytes_per_row());
    for (int x = 0; x < w; ++x) dst[y * wpl + x] = (row[x] << 8) | 0xff;  // ARGB -> leptonica's RGBA
  }
  l_uint8* data = nullptr;
  size_t size = 0;
  const bool ok = pixWriteMemJpeg(&data, &size, pix, 82, 0) == 0;
  pixDestroy(&pix);
  std::string out = ok ? std::string(reinterpret_cast<char*>(data), size) : "";
  lept_free(data);
  return out;
}

ojson catalogue_json() {
  const doctypes::Catalogue& cat = doctypes::catalogue();
  ojson types = ojson::array();
  for (const auto& t : cat.types)
    types.push_back({{"code", t.code}, {"name", t.name}, {"class", t.cls}, {"required", t.required}, {"optional", t.optional}});
  ojson fields = ojson::object();
  for (const auto& [k, name] : cat.field_names) {
    auto v = cat.field_validators.find(k);
    fields[k] = {{"name", name}, {"validator", v == cat.field_validators.end() ? ojson(nullptr) : ojson(v->second)}};
  }
  // The office fields the desk edits beyond the catalogue's: a list (one recipient a line) and the
  // arrival stamp's two values.
  if (!fields.contains("noi_nhan")) fields["noi_nhan"] = {{"name", "Nơi nhận"}, {"validator", nullptr}, {"list", true}};
  fields["van_ban_den.so_den"] = {{"name", "Số đến"}, {"validator", nullptr}};
  fields["van_ban_den.ngay_den"] = {{"name", "Ngày đến"}, {"validator", nullptr}};
  return {{"types", types}, {"fields", fields}};
}

class App {
 public:
  explicit App(const ServeOptions& o) : o_(o), desk_(o.out, o.default_dossier) { desk_.set_pause_ms(o.pause_ms); }

  void install(httplib::Server& srv) {
    srv.set_payload_max_length(o_.max_body);
    srv.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) { return gate(req, res); });
    srv.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.body.empty()) {
        const char* what = res.status == 413 ? "the request body is too big" : res.status == 404 ? "not found" : "bad request";
        send_error(res, res.status, what);
      }
    });
    srv.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      try {
        std::rethrow_exception(ep);
      } catch (const Refused& r) {
        send_error(res, r.status(), r.what(), r.details());
      } catch (const ojson::exception& e) {
        send_error(res, 400, std::string("malformed JSON: ") + e.what());
      } catch (const std::exception& e) {
        send_error(res, 500, e.what());
      }
    });
    auto asset = [&srv](const char* path, const char* name, const char* mime) {
      srv.Get(path, [name, mime](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(asset_text(name)), mime);
        res.set_header("Cache-Control", "no-store");
      });
    };
    asset("/", "index.html", "text/html; charset=utf-8");
    asset("/app.js", "app.js", "text/javascript; charset=utf-8");
    asset("/app.css", "app.css", "text/css; charset=utf-8");
    srv.Get("/api/session", [this](const httplib::Request&, httplib::Response& res) {
      send_json(res, 200, {{"user", o_.user}, {"out", stdfs::absolute(o_.out).string()}});
    });
    srv.Get("/api/catalogue", [](const httplib::Request&, httplib::Response& res) { send_json(res, 200, catalogue_json()); });
    srv.Get("/api/queue", [this](const httplib::Request&, httplib::Response& res) { send_json(res, 200, queue()); });
    srv.Get(R"(/api/records/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::string etag;
      ojson rec = desk_.load(req.matches[1], &etag);
      const std::string text = fs::read_text_or_empty(o_.out / "records" / std::string(req.matches[1]) / "text.txt");
      ojson pages = ojson::array();
      for (size_t at = 0;;) {
        const size_t ff = text.find('\f', at);
        pages.push_back(text.substr(at, ff == std::string::npos ? std::string::npos : ff - at));
        if (ff == std::string::npos) break;
        at = ff + 1;
      }
      ojson audit = ojson::array();
      for (const auto& e : catalog::audit_of(o_.out, req.matches[1]))
        audit.push_back({{"id", e.id}, {"who", e.who}, {"when", e.at}, {"action", e.action}, {"field", e.field},
                         {"before", ojson::parse(e.before, nullptr, false)}, {"after", ojson::parse(e.after, nullptr, false)},
                         {"why", e.why}});
      send_json(res, 200, {{"etag", etag}, {"record", rec}, {"text_pages", pages}, {"audit", audit},
                           {"others", others(req.matches[1], req.get_param_value("user"))}});
    });
    srv.Get(R"(/api/records/([^/]+)/pages/([0-9]{1,4})\.jpg)", [this](const httplib::Request& req, httplib::Response& res) {
      desk_.load(req.matches[1], nullptr);  // 404 unless a record of OUT
      double dpi = 110;
      if (req.has_param("dpi")) dpi = std::clamp(std::atof(req.get_param_value("dpi").c_str()), 20.0, 300.0);
      const std::string jpeg = render_jpeg(o_.out / "records" / std::string(req.matches[1]) / "document.pdf",
                                           std::stoi(req.matches[2]), dpi);
      if (jpeg.empty()) return send_error(res, 404, "no such page");
      res.set_content(jpeg, "image/jpeg");
      res.set_header("Cache-Control", "private, max-age=60");
    });
    srv.Post(R"(/api/records/([^/]+)/edit)", [this](const httplib::Request& req, httplib::Response& res) {
      const ojson body = ojson::parse(req.body);
      if (!body.is_object()) throw Refused(400, "the body is a JSON object");
      Edit e;
      e.record_id = req.matches[1];
      desk_.load(e.record_id, nullptr);
      e.base = body.at("base").get<std::string>();
      e.who = body.contains("user") && body["user"].is_string() && !body["user"].get<std::string>().empty()
                  ? body["user"].get<std::string>() : o_.user;
      e.why = body.value("why", "");
      e.action = body.value("action", "");
      for (const auto& c : body.value("changes", ojson::array())) e.changes.push_back({c.at("field").get<std::string>(), c.at("value")});
      const Saved s = desk_.apply(e);
      send_json(res, 200, {{"etag", s.etag}, {"record", s.record}, {"events", s.events}});
    });
    // Split corrections: the record's pages regrouped with its neighbour in the same file.
    srv.Post(R"(/api/records/([^/]+)/pages)", [this](const httplib::Request& req, httplib::Response& res) {
      const ojson body = ojson::parse(req.body);
      if (!body.is_object()) throw Refused(400, "the body is a JSON object");
      Regroup r;
      r.record_id = req.matches[1];
      desk_.load(r.record_id, nullptr);
      r.base = body.at("base").get<std::string>();
      r.who = body.contains("user") && body["user"].is_string() && !body["user"].get<std::string>().empty()
                  ? body["user"].get<std::string>() : o_.user;
      r.why = body.value("why", "");
      r.action = body.at("action").get<std::string>();
      if (body.contains("page")) r.page = body.at("page").get<int>();
      const Regrouped g = desk_.regroup(r);
      send_json(res, 200, {{"removed", g.removed}, {"added", g.added}, {"focus", g.focus}, {"events", g.events}});
    });
    srv.Post(R"(/api/records/([^/]+)/presence)", [this](const httplib::Request& req, httplib::Response& res) {
      desk_.load(req.matches[1], nullptr);
      const ojson body = ojson::parse(req.body);
      const std::string user = body.value("user", o_.user);
      std::lock_guard<std::mutex> g(mu_);
      // One open record per clerk: opening another leaves the first.
      for (auto& [rid, who] : seen_) who.erase(user);
      seen_[req.matches[1]][user] = std::chrono::steady_clock::now();
      send_json(res, 200, {{"others", others_locked(req.matches[1], user)}});
    });
    srv.Post("/api/validate", [](const httplib::Request& req, httplib::Response& res) {
      const ojson body = ojson::parse(req.body);
      const std::string problem = check_field(body.at("doc_type").get<std::string>(), body.at("field").get<std::string>(),
                                              body.at("value").get<std::string>());
      send_json(res, 200, {{"ok", problem.empty()}, {"problem", problem}});
    });
  }

 private:
  httplib::Server::HandlerResponse gate(const httplib::Request& req, httplib::Response& res) {
    if (req.has_param("token") && same(req.get_param_value("token"), o_.token) && req.method == "GET") {
      // The link printed at start: the token moves into a cookie and out of the address bar.
      res.set_header("Set-Cookie", "sohoa_desk=" + o_.token + "; HttpOnly; SameSite=Strict; Path=/");
      res.set_redirect(req.path == "/" ? "/" : req.path, 303);
      return httplib::Server::HandlerResponse::Handled;
    }
    std::string given = cookie_token(req);
    const std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) == 0) given = auth.substr(7);
    if (!same(given, o_.token)) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"sohoa review\"");
      send_error(res, 401, "the desk's token is needed: open the address sohoa review printed");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  ojson queue() {
    ojson items = ojson::array();
    int total = 0, done = 0;
    for (const auto& [rid, dossier] : desk_.records()) {
      ++total;
      ojson rec;
      try {
        rec = desk_.load(rid, nullptr);
      } catch (const std::exception&) {
        continue;
      }
      const std::string status = rec.contains("desk") && rec["desk"]["status"].is_string() ? rec["desk"]["status"].get<std::string>() : "";
      const bool review = rec.value("review", false);
      const double conf = rec.value("confidence", 0.0);
      const bool asked = rec.value("review_reasons", ojson::array()).size() > 0;
      if (!review && !asked && conf >= kLowConfidence && status.empty()) continue;
      if (!status.empty()) ++done;
      ojson reasons = ojson::array();
      for (const auto& r : rec.value("review_reasons", ojson::array())) reasons.push_back({{"code", r.value("code", "")}, {"field", r.value("field", ojson(nullptr))}});
      if (conf < kLowConfidence && !review) reasons.push_back({{"code", "low_confidence"}, {"field", nullptr}});
      const ojson& md = rec.value("metadata", ojson::object());
      items.push_back({{"id", rid}, {"dossier", dossier}, {"doc_type", rec.value("doc_type", "")},
                       {"type_name", doctypes::name_of(rec.value("doc_type", ""))}, {"confidence", conf},
                       {"review", review || asked}, {"reasons", reasons}, {"status", status.empty() ? ojson(nullptr) : ojson(status)},
                       {"name", md.value("ho_ten", ojson(nullptr))}, {"source", rec["source"]}});
    }
    // The flagged first, then the least sure; a record's place does not move when it is approved.
    auto& list = items.get_ref<ojson::array_t&>();
    std::stable_sort(list.begin(), list.end(), [](const ojson& a, const ojson& b) {
      if (a["review"] != b["review"]) return a["review"].get<bool>();
      return a["confidence"].get<double>() < b["confidence"].get<double>();
    });
    return {{"items", items}, {"total", total}, {"needing", items.size()}, {"done", done}};
  }

  ojson others(const std::string& rid, const std::string& user) {
    std::lock_guard<std::mutex> g(mu_);
    return others_locked(rid, user);
  }
  ojson others_locked(const std::string& rid, const std::string& user) {
    ojson list = ojson::array();
    auto it = seen_.find(rid);
    if (it == seen_.end()) return list;
    const auto now = std::chrono::steady_clock::now();
    for (const auto& [who, when] : it->second)
      if (who != user && now - when < std::chrono::seconds(kPresenceSeconds)) list.push_back(who);
    return list;
  }

  const ServeOptions& o_;
  Desk desk_;
  std::mutex mu_;
  std::map<std::string, std::map<std::string, std::chrono::steady_clock::time_point>> seen_;
};

}  // namespace

int serve(const ServeOptions& options) {
  ServeOptions o = options;
  if (!stdfs::exists(o.out / "batch.json")) {
    std::fprintf(stderr, "sohoa review: %s holds no batch.json (run sohoa run first)\n", o.out.c_str());
    return 1;
  }
  if (o.token.empty()) {
    if (!is_loopback(o.host)) {
      std::fprintf(stderr, "sohoa review: --listen %s is reachable from other machines: give --token or --token-file\n", o.host.c_str());
      return 2;
    }
    o.token = random_token();
  }
  App app(o);
  Desk recovering(o.out, o.default_dossier);
  if (recovering.recover()) std::printf("sohoa review: finished a save that was interrupted\n");
  httplib::Server srv;
  srv.new_task_queue = [] { return new httplib::ThreadPool(4); };
  app.install(srv);
  int port = o.port;
  if (port == 0) port = srv.bind_to_any_port(o.host);
  else if (!srv.bind_to_port(o.host, port)) port = -1;
  if (port <= 0) {
    std::fprintf(stderr, "sohoa review: cannot listen on %s:%d\n", o.host.c_str(), o.port);
    return 1;
  }
  const std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  std::printf("sohoa review: serving %s on http://%s:%d/ ; open http://%s:%d/?token=%s\n", o.out.c_str(), host.c_str(), port,
              host.c_str(), port, o.token.c_str());
  std::fflush(stdout);
  g_server = &srv;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  srv.listen_after_bind();
  g_server = nullptr;
  return 0;
}

}  // namespace sohoa::desk
