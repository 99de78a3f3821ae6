// durable_fill.c in Swift, linked as stressd's release build links the
// runtime (-static-stdlib): the same steps with nothing of stressd in them.
// Its time beside the C one is what the language's start-up adds to any
// durably recorded fill, before a line of stressd runs.
//
// usage: durable_fill_swift STATE_DIR PATH BYTES   (holds the fill until killed)
import Glibc

func fail(_ what: String) -> Never {
    perror(what)
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let bytes = Int(arguments[3]) else {
    fputs("usage: durable_fill_swift STATE_DIR PATH BYTES\n", stderr)
    exit(2)
}
let state = arguments[1], path = arguments[2], pid = getpid()
let folder = "\(path)/.stressd-fill-floor-\(pid)"
let record = "\(state)/floor-\(pid).json"
let temporary = record + ".tmp"
let json = Array("{\"paths\": [\"\(folder)\"]}\n".utf8)

// The ledger record, durable before the first byte (as durable_fill.c).
var fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
if fd < 0 || write(fd, json, json.count) != json.count || fsync(fd) != 0 || close(fd) != 0 { fail(temporary) }
if rename(temporary, record) != 0 { fail(record) }
let directory = open(state, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
if directory < 0 || fsync(directory) != 0 { fail(state) }
close(directory)

// The fill: a folder of its own, one file, fallocate (posix_fallocate is
// fallocate(2) where the file system supports it; Glibc's module hides the
// GNU name).
if mkdir(folder, 0o700) != 0 { fail(folder) }
let file = "\(folder)/fill-0000"
fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
if fd < 0 || posix_fallocate(fd, 0, off_t(bytes)) != 0 { fail(file) }
close(fd)
pause()
