// Catalog search timing: builds a synthetic catalog (2,000 procedures unless an argument
// says otherwise) and times each query typed at a kiosk, one search at a time. Build in
// release mode: `swift build -c release --product motcua-catalog-bench`. Prints JSON lines
// like motcua-bench, in microseconds: wall-clock time, and the thread's CPU time, which
// leaves out the time other processes held the core (on a busy build machine they decide
// the wall-clock tail).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MotcuaCore

let size = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 2_000
let rounds = 200

let built = ContinuousClock.now
let catalog = ProcedureCatalog(SyntheticCatalog.procedures(count: size))
let buildTime = ContinuousClock.now - built

/// What citizens and officers type: a code, a whole name, the start of one, loose words with
/// and without marks, one letter, nothing that matches.
let queries = [
    "1.000123", "1.00", "đăng ký khai sinh", "dang ky khai sinh", "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "cap lai", "giay chung nhan quyen su dung dat", "ket hon nuoc ngoai", "THƯỜNG TRÚ", "ho kinh doanh",
    "chung thuc hop dong", "thuoc la", "trợ cấp", "d", "xyzzy", "le hoi truyen thong cap tinh",
]

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

func threadCPUMicroseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
}

/// Every query `rounds` times, each timed on its own; sorted. The results' total count is
/// returned so the optimiser cannot drop the searches.
func timedSearches() -> (wall: [Double], cpu: [Double], found: Int) {
    var wall: [Double] = []
    var cpu: [Double] = []
    var found = 0
    for _ in 0..<rounds {
        for query in queries {
            let cpuStart = threadCPUMicroseconds()
            let start = ContinuousClock.now
            found &+= catalog.search(query).count
            wall.append(microseconds(ContinuousClock.now - start))
            cpu.append(threadCPUMicroseconds() - cpuStart)
        }
    }
    return (wall.sorted(), cpu.sorted(), found)
}

let (wall, cpu, found) = timedSearches()
func percentile(_ samples: [Double], _ p: Double) -> Double {
    samples[min(samples.count - 1, Int((Double(samples.count) * p).rounded(.up)) - 1)]
}

func report(_ name: String, _ value: Double, _ unit: String) {
    print(#"{"name": "\#(name)", "value": \#((value * 10).rounded() / 10), "unit": "\#(unit)"}"#)
}
report("catalog_size", Double(size), "procedures")
report("catalog_build", microseconds(buildTime), "us")
report("search_p50", percentile(wall, 0.50), "us")
report("search_p99", percentile(wall, 0.99), "us")
report("search_max", wall.last ?? 0, "us")
report("search_cpu_p50", percentile(cpu, 0.50), "us")
report("search_cpu_p99", percentile(cpu, 0.99), "us")
report("searches", Double(wall.count), "queries")
if found == 0 { print("no query found anything") }
