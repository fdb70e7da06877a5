package pack

import (
	"archive/zip"
	"compress/flate"
	"io"
	"os"
	"time"

	"github.com/gdlab-dev/gdlab/internal/atomicfile"
)

// zipTime is every entry's modification time: fixed, so the bytes depend on
// the binary only. 1980-01-01 is the earliest time the zip format can hold.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// writeZipFile writes a zip holding only binary, as `bootstrap` with mode
// 0755 (Lambda executes it; a zip without the execute bit fails at init).
// It writes to a temporary file and renames, so a reader never sees half a zip.
func writeZipFile(binary, output string) error {
	in, err := os.Open(binary)
	if err != nil {
		return err
	}
	defer in.Close()

	return atomicfile.WriteFunc(output, 0o644, func(w io.Writer) error { return writeZip(w, in) })
}

func writeZip(w io.Writer, bootstrap io.Reader) error {
	zw := zip.NewWriter(w)
	// A fixed level, so the compressed bytes do not depend on a default.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate, Modified: zipTime}
	hdr.SetMode(0o755)
	f, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, bootstrap); err != nil {
		return err
	}
	return zw.Close()
}
