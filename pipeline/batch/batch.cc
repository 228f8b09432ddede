#include "batch/batch.h"

#include <fcntl.h>
#include <time.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <opencv2/core/utility.hpp>
#include <thread>

#include "batch/progress.h"
#include "classify/classify.h"
#include "classify/mrz.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "doctypes/doctypes.h"
#include "extract/authority_text.h"
#include "extract/extract.h"
#include "extract/handwriting.h"
#include "extract/office_fields.h"
#include "ingest/pdf_signatures.h"
#include "ocr/layer_merge.h"
#include "output/archive_terms.h"
#include "output/original.h"
#include "layout/frames.h"
#include "layout/language.h"
#include "layout/layout.h"
#include "layout/stamp.h"
#include "output/pdf_writer.h"
#include "output/record_writer.h"
#include "prepare/prepare.h"
#include "prepare/seal.h"
#include "review/review.h"
#include "split/split.h"

namespace sohoa::batch {
namespace {

namespace stdfs = std::filesystem;
using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

// signatures: reading an input PDF's digital signatures; originals: reading the input's bytes
// again and keeping them in the package (both also counted in no other stage).
enum Stage { kIngest, kPrepare, kOcr, kLayout, kSplit, kClassify, kExtract, kOutput, kSignatures, kOriginals, kStageCount };
const char* kStageNames[kStageCount] = {"ingest", "prepare", "ocr",    "layout",     "split",
                                        "classify", "extract", "output", "signatures", "originals"};

/// When a stage started, by the wall clock and by this thread's CPU clock.
struct Mark {
  Clock::time_point wall;
  int64_t cpu_ns;
  static int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
  }
  static Mark now() { return {Clock::now(), thread_cpu_ns()}; }
};

struct Timings {
  std::atomic<int64_t> micros[kStageCount] = {};
  // CPU time as well: on a shared machine wall time per stage includes waiting for a core.
  std::atomic<int64_t> cpu_micros[kStageCount] = {};
  void add(Stage s, const Mark& since) {
    micros[s] += std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - since.wall).count();
    cpu_micros[s] += (Mark::thread_cpu_ns() - since.cpu_ns) / 1000;
  }
};

/// Everything known about one input while its pages are in flight.
struct InputState {
  const ingest::InputItem* item = nullptr;
  std::vector<Page> pages;
  std::vector<std::string> page_errors;  // per page, empty when fine
  std::atomic<int> remaining{0};
  std::mutex mutex;
  std::string fatal;  // the input could not be opened at all
  std::optional<SourceRef> first_copy;  // the input of identical bytes read first, if any
  std::vector<std::string> record_ids;
  std::vector<std::string> previous_ids;  // what an earlier run wrote for this input
  std::vector<int> separators;  // 1-based pages that were PATCHT separator sheets
};

struct Task {
  int input;
  int page;
};

class Runner {
 public:
  Runner(const Config& config, const EngineFactory& factory) : config_(config), make_engine_(factory) {}

  Summary run() {
    prepare_out();
    auto t0 = Mark::now();
    discovery_ = ingest::discover(config_.inputs, config_.limits, config_.exclude.empty() ? config_.out : config_.exclude,
                                  config_.default_dossier, config_.only);
    timings_.add(kIngest, t0);
    states_ = std::vector<InputState>(discovery_.items.size());
    // Identical bytes in two places are two records, the later linked to the first (duplicate_of).
    // A plan's (config_.first_of_content) knows inputs of other shards: it comes first.
    std::map<std::string, SourceRef> first_of_content = config_.first_of_content;
    for (const auto& item : discovery_.items) first_of_content.emplace(item.source.sha256, item.source);
    int total_pages = 0;
    for (size_t i = 0; i < discovery_.items.size(); ++i) {
      const auto& item = discovery_.items[i];
      states_[i].item = &item;
      if (const SourceRef& first = first_of_content.at(item.source.sha256);
          output::source_key(first) != output::source_key(item.source))
        states_[i].first_copy = first;
      states_[i].pages.resize(item.page_count);
      states_[i].page_errors.resize(item.page_count);
      states_[i].remaining = item.page_count;
      if (already_done(states_[i])) {
        ++read_ok_;
        pages_read_ += item.page_count;
        records_ += static_cast<int>(states_[i].record_ids.size());
        records_resumed_ += static_cast<int>(states_[i].record_ids.size());
        ++resumed_;
        continue;
      }
      for (int p = 0; p < item.page_count; ++p) tasks_.push_back({static_cast<int>(i), p});
      total_pages += item.page_count;
    }

    if (!config_.dump_ocr_images.empty()) {
      std::error_code ec;
      stdfs::create_directories(config_.dump_ocr_images, ec);
      std::ofstream(config_.dump_ocr_images / "index.jsonl", std::ios::trunc);  // this run's pages only
    }
    Progress progress(config_.progress_stream, total_pages, config_.progress);
    const int jobs = std::max(1, std::min<int>(config_.jobs, std::max<size_t>(1, tasks_.size())));
    std::vector<std::thread> workers;
    for (int w = 0; w < jobs; ++w) workers.emplace_back([this] { work(); });
    {
      std::unique_lock lock(done_mutex_);
      while (finished_workers_ < jobs) {
        done_cv_.wait_for(lock, std::chrono::milliseconds(500));
        lock.unlock();
        progress.update(pages_done_.load());
        lock.lock();
      }
    }
    for (auto& t : workers) t.join();
    if (fatal_) std::rethrow_exception(fatal_);
    progress.update(pages_done_.load(), true);
    return finish(total_pages);
  }

 private:
  void prepare_out() {
    std::error_code ec;
    stdfs::create_directories(config_.out / "records", ec);
    if (ec) throw Error(ErrorCode::output_io, "cannot create the output folder " + config_.out.string() + ": " + ec.message());
    lock_out();
    remove_leftovers();
    const stdfs::path probe = config_.out / ".sohoa-write-test";
    try {
      fs::write_atomic(probe, "ok");
      stdfs::remove(probe, ec);
    } catch (const Error& e) {
      throw Error(ErrorCode::output_io, "the output folder " + config_.out.string() + " is not writable");
    }
  }

  /// One run per OUT at a time: a second one would interleave records and batch.json.
  void lock_out() {
    const stdfs::path lock_path = config_.out / ".sohoa.lock";
    lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0) throw Error(ErrorCode::output_io, "the output folder " + config_.out.string() + " is not writable");
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0)
      throw Error(ErrorCode::busy, "another sohoa run is writing to " + config_.out.string() +
                                       "; wait for it to finish or choose another -o folder");
  }

  /// Temporary files of a run that was killed: never a finished record, always safe to drop.
  void remove_leftovers() {
    std::error_code ec;
    for (const stdfs::path dir : {config_.out, config_.out / "records", config_.out / "done"}) {
      if (!stdfs::is_directory(dir, ec)) continue;
      for (const auto& e : stdfs::directory_iterator(dir, ec))
        if (e.path().filename().string().find(".tmp-") != std::string::npos) stdfs::remove_all(e.path(), ec);
    }
  }

  /// One marker per place an input came from (not per content: the same file in two dossiers is two inputs).
  stdfs::path done_marker(const ingest::InputItem& item) const {
    const std::string key = output::source_key(item.source);
    return config_.out / "done" / (sha256_hex({reinterpret_cast<const uint8_t*>(key.data()), key.size()}) + ".json");
  }

  static json first_copy_json(const InputState& st) {
    return st.first_copy ? json(output::source_key(*st.first_copy)) : json(nullptr);
  }

  /// An input finished by an earlier run (same place, same content, same first copy, records all
  /// in place) is not redone.
  bool already_done(InputState& st) {
    std::error_code ec;
    const stdfs::path marker = done_marker(*st.item);
    if (!stdfs::exists(marker, ec)) return false;
    try {
      json j = json::parse(std::ifstream(marker));
      std::vector<std::string> ids = j.at("records").get<std::vector<std::string>>();
      st.previous_ids = ids;
      if (j.value("sohoa_version", "") != SOHOA_VERSION) return false;  // a newer sohoa may decide better
      if (j.value("sha256", "") != st.item->source.sha256) return false;  // the file changed
      if (j.value("duplicate_of", json(nullptr)) != first_copy_json(st)) return false;
      for (const auto& id : ids)
        if (!stdfs::exists(config_.out / "records" / id / "record.json", ec)) return false;
      st.record_ids = ids;
      for (const auto& e : j.at("errors"))
        run_errors_.push_back({st.item->source.path, st.item->source.member, ErrorCode::damaged,
                               e.get<std::string>()});
      return true;
    } catch (const std::exception&) {
      return false;  // unreadable marker: do the input again
    }
  }

  void mark_done(const InputState& st, const std::vector<ingest::InputError>& errors) {
    json j;
    j["dossier"] = st.item->source.dossier;
    j["path"] = st.item->source.path;
    j["member"] = st.item->source.member ? json(*st.item->source.member) : json(nullptr);
    j["sha256"] = st.item->source.sha256;
    j["duplicate_of"] = first_copy_json(st);
    j["records"] = st.record_ids;
    j["sohoa_version"] = SOHOA_VERSION;
    json errs = json::array();
    for (const auto& e : errors) errs.push_back(e.reason);
    j["errors"] = errs;
    std::error_code ec;
    stdfs::create_directories(config_.out / "done", ec);
    fs::write_atomic(done_marker(*st.item), j.dump(1, ' ', false, json::error_handler_t::replace) + "\n");
  }

  /// Records an earlier run made of this input that this run did not make again (the file changed
  /// and splits otherwise): left alone they would be counted, catalogued and packaged as current.
  void remove_stale_records(const InputState& st) {
    for (const std::string& id : st.previous_ids) {
      if (std::find(st.record_ids.begin(), st.record_ids.end(), id) != st.record_ids.end()) continue;
      std::error_code ec;
      stdfs::remove_all(config_.out / "records" / id, ec);
    }
  }

  void work() {
    try {
      std::unique_ptr<ocr::Engine> engine = make_engine_();
      int open_input = -1;
      std::unique_ptr<ingest::PageSource> source;
      for (;;) {
        if (fatal_flag_) break;
        const size_t n = next_task_++;
        if (n >= tasks_.size()) break;
        const Task task = tasks_[n];
        InputState& st = states_[task.input];
        if (open_input != task.input) {
          source.reset();
          open_input = task.input;
          auto t0 = Mark::now();
          try {
            ingest::Bytes bytes = ingest::load_bytes(*st.item, config_.limits);
            source = ingest::open_page_source(bytes, st.item->format, config_.limits);
          } catch (const Error& e) {
            std::lock_guard lock(st.mutex);
            st.fatal = e.what();
          }
          timings_.add(kIngest, t0);
        }
        if (source) process_page(*source, *engine, st, task.page);
        else st.page_errors[task.page] = st.fatal;
        ++pages_done_;
        if (--st.remaining == 0) {
          source.reset();
          open_input = -1;
          finalize(st);
        }
      }
    } catch (...) {
      std::lock_guard lock(done_mutex_);
      if (!fatal_) fatal_ = std::current_exception();
      fatal_flag_ = true;
    }
    std::lock_guard lock(done_mutex_);
    ++finished_workers_;
    done_cv_.notify_all();
  }

  void process_page(ingest::PageSource& source, ocr::Engine& engine, InputState& st, int index) {
    Page& page = st.pages[index];
    page.info.number = index + 1;
    try {
      auto t0 = Mark::now();
      RawPage raw = source.load(index);
      timings_.add(kIngest, t0);
      std::vector<OcrWord> partial_layer = std::move(raw.partial_layer);
      std::vector<std::string> signature_text = std::move(raw.signature_text);
      const ocr::PageTransform layer_at{raw.image.width(), raw.image.height()};
      t0 = Mark::now();
      prepare::PreparedPage prepared = prepare::prepare_page(std::move(raw), index + 1, engine);
      timings_.add(kPrepare, t0);
      page.info = prepared.info;
      page.info.signature_text = std::move(signature_text);
      page.barcodes = std::move(prepared.barcodes);

      if (prepared.text_layer) {
        page.ocr = std::move(*prepared.text_layer);
        page.info.text_source = "pdf_text";
        page.info.ocr_confidence = 100;
      } else if (!page.info.blank && !page.info.separator) {
        if (!config_.dump_ocr_images.empty()) dump_ocr_image(st, index, prepared);
        t0 = Mark::now();
        page.ocr = prepared.recognized ? std::move(*prepared.recognized) : engine.recognize(prepared.ocr, prepared.ocr_dpi);
        timings_.add(kOcr, t0);
        if (prepared.ocr_scale != 1) rescale(page.ocr, 1.0 / prepared.ocr_scale);
        if (!partial_layer.empty() && add_partial_layer(page, partial_layer, layer_at)) page.info.text_source = "ocr+pdf_text";
        page.info.ocr_confidence = page.ocr.mean_confidence;
        t0 = Mark::now();
        reread_frames(page, prepared, engine);
        reread_mrz(page, prepared, engine);
        // The slots' handwritten digits, read while the page's pixels are here; extraction
        // decides whether a reading is used (extract/office_fields.cc).
        page.info.handwritten = handwriting::read_slots(page.ocr, prepared.color, handwriting::model());
        timings_.add(kOcr, t0);
      }
      // A text layer lists words in the order they were drawn: it is laid out like a scan.
      if (!page.ocr.words.empty()) lay_out(st, index, page, prepared, engine);
      t0 = Mark::now();
      if (!page.info.blank && !page.info.separator) page.image = output::encode_page_image(prepared.color);
      timings_.add(kOutput, t0);
    } catch (const Error& e) {
      st.page_errors[index] = e.what();
    } catch (const std::exception& e) {
      st.page_errors[index] = std::string("internal error (please report): ") + e.what();
    }
    if (!st.page_errors[index].empty()) {
      page.info.error = st.page_errors[index];  // kept in its record, never starts one
      page.ocr = {};
      page.image = {};
    }
  }

  /// Stamp-sized ruled frames read again by themselves, their rules erased: full-page OCR reads an
  /// arrival stamp's box edges as letters or drops its words. The new reading replaces the words
  /// there only when it holds an arrival stamp's head (layout/frames.h).
  static void reread_frames(Page& page, const prepare::PreparedPage& prepared, ocr::Engine& engine) {
    constexpr size_t kMaxFrames = 4;  // a form's ruled boxes are not stamps: do not read them all
    const double dpi = page.info.dpi > 0 ? page.info.dpi : 300;
    const std::vector<Box> frames = layout::ruled_frames(prepared.color, dpi);
    for (size_t i = 0; i < frames.size() && i < kMaxFrames; ++i) {
      const layout::FrameInside inside = layout::frame_inside(prepared.color, frames[i], dpi);
      if (!inside.image) continue;
      // Sparse: a stamp's labels and the values on its dotted lines are pieces apart, which a
      // block reading drops whole lines of.
      const OcrResult reread = engine.recognize(inside.image, dpi, false, true);
      layout::adopt_frame_reading(page.ocr, frames[i], inside, reread);
    }
  }

  /// Text-layer words the scan's OCR did not read (a header, a stamp drawn by the system). Not on
  /// a page whose geometry prepare changed beyond a turn and a deskew: there no box would fit.
  static bool add_partial_layer(Page& page, const std::vector<OcrWord>& layer, ocr::PageTransform at) {
    if (page.info.sheet_rectified || page.info.lines_straightened) return false;
    at.rotation_cw = page.info.rotation;
    at.skew_deg = page.info.skew_deg;
    return ocr::merge_layer_words(page.ocr, layer, at) > 0;
  }

  void lay_out(const InputState& st, int index, Page& page, const prepare::PreparedPage& prepared, ocr::Engine& engine) {
    auto t0 = Mark::now();
    layout::lay_out(page, prepared.color.width(), prepared.color.height(), &prepared.color);
    timings_.add(kLayout, t0);
    if (page.info.text_source == "ocr") {
      t0 = Mark::now();
      if (read_english(page, prepared, engine) > 0) page.info.ocr_confidence = page.ocr.mean_confidence;
      // A region read in scraps (a blurred header) read again as one block, where that is proved better.
      bool replaced = false;
      for (PrepareStep& step : layout::reread_unsure(page, [&](const Box& b) { return read_part(b, prepared, engine, false); })) {
        replaced = replaced || step.applied;
        page.info.prepare.push_back(std::move(step));
      }
      if (replaced) page.info.ocr_confidence = page.ocr.mean_confidence;
      timings_.add(kOcr, t0);
    }
    t0 = Mark::now();
    layout::add_stamps(page, prepare::find_seals(prepared.color, page.info.dpi));
    timings_.add(kLayout, t0);
    if (config_.debug_layout.empty()) return;
    char name[48];
    std::snprintf(name, sizeof name, "i%04d-p%03d.png", static_cast<int>(&st - states_.data()), index + 1);
    std::error_code ec;
    stdfs::create_directories(config_.debug_layout, ec);
    layout::write_picture(prepared.color, page.regions, config_.debug_layout / name);
  }

  /// A part of the page (page pixels) read with the English model, or in Vietnamese as one
  /// block, on the image OCR read; the words' boxes in page pixels.
  static OcrResult read_part(const Box& b, const prepare::PreparedPage& prepared, ocr::Engine& engine, bool english) {
    const double f = prepared.ocr_scale;
    const Image& img = prepared.ocr;
    // A margin of a few pixels keeps the edge letters whole.
    const int m = static_cast<int>(std::lround(12 * f));
    const int x0 = std::max(0, static_cast<int>(b.x * f) - m), y0 = std::max(0, static_cast<int>(b.y * f) - m);
    const int x1 = std::min(img.width(), static_cast<int>((b.x + b.w) * f) + m);
    const int y1 = std::min(img.height(), static_cast<int>((b.y + b.h) * f) + m);
    if (x1 - x0 < 8 || y1 - y0 < 8) return OcrResult{};
    BOX* clip = boxCreate(x0, y0, x1 - x0, y1 - y0);
    Image part(pixClipRectangle(img.get(), clip, nullptr));
    boxDestroy(&clip);
    if (!part) return OcrResult{};
    OcrResult r = english ? engine.recognize_as(part, prepared.ocr_dpi, "eng")
                          : engine.recognize(part, prepared.ocr_dpi, /*single_block=*/true);
    for (OcrWord& w : r.words) w.box = {w.box.x + x0, w.box.y + y0, w.box.w, w.box.h};
    for (OcrLine& l : r.lines) {
      l.box = {l.box.x + x0, l.box.y + y0, l.box.w, l.box.h};
      l.baseline += y0;
    }
    if (f != 1) rescale(r, 1.0 / f);
    return r;
  }

  /// The page's English regions read again with the English model, on the image OCR read.
  static int read_english(Page& page, const prepare::PreparedPage& prepared, ocr::Engine& engine) {
    return layout::reread_english(page, [&](const Box& b) { return read_part(b, prepared, engine, true); });
  }

  /// A card's machine-readable zone that did not check out, read again with the English model:
  /// the Vietnamese one reads OCR-B's zeros as 6 and 8 on a noisy copy. The new reading replaces
  /// the words there only when its check digits hold (mrz::parse_td1): nothing is guessed.
  static void reread_mrz(Page& page, const prepare::PreparedPage& prepared, ocr::Engine& engine) {
    const std::optional<Box> zone = mrz::unchecked_zone(page.ocr);
    if (!zone || !mrz::find_td1(page.ocr).empty()) return;
    const OcrResult reread = read_part(*zone, prepared, engine, true);
    if (mrz::find_td1(reread).empty()) return;
    auto inside = [&](const Box& b) {
      const int cx = b.x + b.w / 2, cy = b.y + b.h / 2;
      return cx >= zone->x && cx < zone->x + zone->w && cy >= zone->y && cy < zone->y + zone->h;
    };
    std::vector<OcrWord> kept;
    for (OcrWord& w : page.ocr.words)
      if (!inside(w.box)) kept.push_back(std::move(w));
    const int line0 = static_cast<int>(page.ocr.lines.size());
    page.ocr.lines.insert(page.ocr.lines.end(), reread.lines.begin(), reread.lines.end());
    for (OcrWord w : reread.words) {
      w.line += line0;
      kept.push_back(std::move(w));
    }
    page.ocr.words = std::move(kept);
  }

  void dump_ocr_image(const InputState& st, int index, const prepare::PreparedPage& prepared) {
    const auto input = &st - states_.data();
    char name[48];
    std::snprintf(name, sizeof name, "i%04d-p%03d.png", static_cast<int>(input), index + 1);
    const int dpi = static_cast<int>(std::lround(prepared.ocr_dpi));  // what recognize() tells Tesseract
    Image copy = prepared.ocr.copy();
    pixSetResolution(copy.get(), dpi, dpi);
    if (pixWrite((config_.dump_ocr_images / name).c_str(), copy.get(), IFF_PNG) != 0)
      throw Error(ErrorCode::output_io, "cannot write " + (config_.dump_ocr_images / name).string());
    json line = {{"path", st.item->source.path},
                 {"member", st.item->source.member ? json(*st.item->source.member) : json(nullptr)},
                 {"page", index + 1}, {"image", name}, {"dpi", dpi}};
    std::lock_guard lock(dump_mutex_);
    std::ofstream(config_.dump_ocr_images / "index.jsonl", std::ios::app)
        << line.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  }

  static void rescale(OcrResult& ocr, double f) {
    auto scale_box = [f](Box& b) {
      b = {static_cast<int>(b.x * f), static_cast<int>(b.y * f), static_cast<int>(b.w * f + 0.5),
           static_cast<int>(b.h * f + 0.5)};
    };
    for (auto& w : ocr.words) scale_box(w.box);
    for (auto& l : ocr.lines) {
      scale_box(l.box);
      l.baseline = static_cast<int>(l.baseline * f);
    }
  }

  void finalize(InputState& st) {
    const ingest::InputItem& item = *st.item;
    std::vector<ingest::InputError> errors;
    bool internal_failure = false, all_written = false;
    if (!st.fatal.empty()) {
      errors.push_back({item.source.path, item.source.member, ErrorCode::unreadable, st.fatal});
    } else {
      for (size_t i = 0; i < st.page_errors.size(); ++i)
        if (!st.page_errors[i].empty())
          errors.push_back({item.source.path, item.source.member, ErrorCode::damaged,
                            "page " + std::to_string(i + 1) + ": " + st.page_errors[i]});
      try {
        for (const Page& p : st.pages)
          if (p.info.separator) st.separators.push_back(p.info.number);
        auto t0 = Mark::now();
        // The input's own bytes: its signatures, and the preservation original.
        ingest::Bytes bytes = ingest::load_bytes(item, config_.limits);
        timings_.add(kOriginals, t0);
        t0 = Mark::now();
        std::vector<DigitalSignature> signatures;
        if (item.format == ingest::Format::pdf)
          signatures = ingest::read_pdf_signatures(*bytes, config_.trust.get(), output::output_epoch());
        timings_.add(kSignatures, t0);
        t0 = Mark::now();
        const std::string original = output::keep_original(config_.out, item.source.sha256,
                                                           ingest::format_name(item.format), *bytes);
        bytes.reset();
        timings_.add(kOriginals, t0);
        t0 = Mark::now();
        std::vector<Document> docs = split::split_input(item.source, st.pages);
        timings_.add(kSplit, t0);
        for (Document& doc : docs) {
          Record record;
          record.document = std::move(doc);
          record.id = output::record_id(record.document.source, record.document.first_page, record.document.last_page);
          // The same bytes split the same way: the first copy's record of this page range.
          if (st.first_copy)
            record.duplicate_of = output::record_id(*st.first_copy, record.document.first_page,
                                                    record.document.last_page);
          record.signatures = signatures;
          record.original = original;
          t0 = Mark::now();
          record.classification = classify::classify(record.document, st.pages);
          timings_.add(kClassify, t0);
          t0 = Mark::now();
          record.metadata = extract::extract(record.document, st.pages, record.classification, &record.extra);
          extract::check_handwritten_date(record.metadata, record.signatures);
          extract::check_signer(record.metadata, record.signatures);
          extract::mend_text_from_authority(record.metadata, st.pages);
          review::assess(record, st.pages);
          timings_.add(kExtract, t0);
          t0 = Mark::now();
          output::write_record(config_.out, record, st.pages);
          timings_.add(kOutput, t0);
          st.record_ids.push_back(record.id);
        }
        all_written = true;
      } catch (const Error& e) {
        if (e.code() == ErrorCode::output_io) throw;  // every later input would fail the same way
        errors.push_back({item.source.path, item.source.member, e.code(), e.what()});
      } catch (const std::exception& e) {
        // A bug in one stage costs this input, never the batch; no done marker, so a rerun retries.
        errors.push_back({item.source.path, item.source.member, ErrorCode::internal,
                          std::string("internal error (please report): ") + e.what()});
        internal_failure = true;
      }
    }
    // Only a clean input is done: a page that failed (a full disk, a damaged page) is tried again
    // by the next run, so a passing fault never loses a page for good.
    if (all_written) remove_stale_records(st);
    if (st.fatal.empty() && !internal_failure && errors.empty()) mark_done(st, errors);
    std::lock_guard lock(results_mutex_);
    for (auto& e : errors) run_errors_.push_back(std::move(e));
    read_ok_ += st.fatal.empty() ? 1 : 0;
    pages_read_ += st.fatal.empty() ? static_cast<int>(st.pages.size()) : 0;
    records_ += static_cast<int>(st.record_ids.size());
    st.pages = {};  // memory goes back as soon as the input is written
  }

  Summary finish(int total_pages) {
    Summary s;
    s.inputs = read_ok_;
    s.pages = pages_read_;
    s.records = records_;
    s.records_resumed = records_resumed_;
    s.errors = discovery_.errors;
    s.errors.insert(s.errors.end(), run_errors_.begin(), run_errors_.end());
    std::stable_sort(s.errors.begin(), s.errors.end(), [](const auto& a, const auto& b) {
      return std::tie(a.path, a.member) < std::tie(b.path, b.member);
    });
    json timings = json::object();
    for (int i = 0; i < kStageCount; ++i) timings[kStageNames[i]] = timings_.micros[i].load() / 1e6;
    json cpu = json::object();
    for (int i = 0; i < kStageCount; ++i) cpu[kStageNames[i]] = timings_.cpu_micros[i].load() / 1e6;
    json errors = json::array();
    for (const auto& e : s.errors) {
      json entry = {{"path", e.path}};
      entry["member"] = e.member ? json(*e.member) : json(nullptr);
      entry["code"] = to_string(e.code);
      entry["reason"] = e.reason;
      errors.push_back(entry);
    }
    json items = json::array();
    for (const InputState& st : states_) {
      const auto& it = *st.item;
      if (it.dossier.empty() && !st.record_ids.empty()) s.outside_dossiers.push_back(it.source.display());
      if (st.first_copy && !st.record_ids.empty()) s.copies.emplace_back(it.source.display(), st.first_copy->display());
      items.push_back({{"path", it.source.path},
                       {"member", it.source.member ? json(*it.source.member) : json(nullptr)},
                       {"sha256", it.source.sha256},
                       {"format", ingest::format_name(it.format)},
                       {"dossier", it.dossier.empty() ? json(nullptr) : json(it.dossier)},
                       {"pages", it.page_count},
                       {"records", st.record_ids},
                       {"separator_pages", st.separators}});
    }
    json j = batch_json({s.inputs, s.pages, s.records, total_pages, resumed_, records_resumed_}, std::move(timings),
                        std::move(cpu), std::move(errors), std::move(items));
    s.skipped_outputs = discovery_.skipped_outputs;
    if (!s.skipped_outputs.empty()) j["skipped_outputs"] = s.skipped_outputs;
    s.batch_json = config_.out / "batch.json";
    fs::write_atomic(s.batch_json, j.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
    return s;
  }

  const Config& config_;
  const EngineFactory& make_engine_;
  ingest::Discovery discovery_;
  std::vector<InputState> states_;
  std::vector<Task> tasks_;
  std::atomic<size_t> next_task_{0};
  std::atomic<int> pages_done_{0};
  Timings timings_;

  std::mutex done_mutex_;
  std::condition_variable done_cv_;
  int finished_workers_ = 0;
  std::exception_ptr fatal_;
  std::atomic<bool> fatal_flag_{false};

  std::mutex dump_mutex_;
  std::mutex results_mutex_;
  std::vector<ingest::InputError> run_errors_;
  int read_ok_ = 0, pages_read_ = 0, records_ = 0, records_resumed_ = 0, resumed_ = 0;
  int lock_fd_ = -1;

 public:
  ~Runner() {
    if (lock_fd_ >= 0) ::close(lock_fd_);
  }
};

}  // namespace

json batch_json(const BatchTotals& t, json timings, json cpu, json errors, json items) {
  json j;
  j["sohoa_version"] = SOHOA_VERSION;
  j["inputs"] = t.inputs;
  j["pages"] = t.pages;
  j["records"] = t.records;
  j["pages_processed"] = t.pages_processed;
  j["inputs_resumed"] = t.inputs_resumed;
  j["records_resumed"] = t.records_resumed;
  j["timings_s"] = std::move(timings);
  j["cpu_timings_s"] = std::move(cpu);
  j["errors"] = std::move(errors);
  j["items"] = std::move(items);
  return j;
}

Summary run(const Config& config, const EngineFactory& make_engine) {
  setMsgSeverity(L_SEVERITY_NONE);  // Leptonica's own stderr chatter; failures reach us as errors
  // One page per worker already keeps the cores busy (Tesseract runs single-threaded too):
  // OpenCV's own thread pool on top only makes the workers compete (measured: ~10% more CPU).
  cv::setNumThreads(1);
  // Classification cannot work without the catalogue: say so once, before any input is read.
  doctypes::catalogue();
  Runner runner(config, make_engine);
  return runner.run();
}

}  // namespace sohoa::batch
