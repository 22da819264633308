// Command inkwell-ceiling is the benchmark's ceiling: a bare gin engine (release mode, no middleware)
// that answers the exact bytes and cache headers of one article and one list response captured from a
// running Inkwell. Whatever Inkwell does on top of writing those bytes (routing through its middleware,
// reading the cache, logging, metrics) shows up as the distance to this server's rate.
//
// Usage:
//
//	inkwell-ceiling -addr 127.0.0.1:9090 -article article.body -list list.body
//
// Each body file FILE comes with FILE.headers: a JSON object of the response headers to repeat
// (Content-Type, ETag, Cache-Control). Once listening it prints "listening on ADDR" on stdout.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/gin-gonic/gin"
)

// response is one captured answer: its headers in the order they are set, then its body.
type response struct {
	headers [][2]string
	length  string
	body    []byte
}

// repeatedHeaders are the headers of a captured response the ceiling answers with.
var repeatedHeaders = []string{"Content-Type", "ETag", "Cache-Control"}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "inkwell-ceiling:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:9090", "address to listen on")
	articleFile := flag.String("article", "", "body of the captured article response (headers in FILE.headers)")
	listFile := flag.String("list", "", "body of the captured list response (headers in FILE.headers)")
	flag.Parse()
	if *articleFile == "" || *listFile == "" {
		return errors.New("-article and -list are required")
	}
	article, err := load(*articleFile)
	if err != nil {
		return err
	}
	list, err := load(*listFile)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	srv := &http.Server{Handler: newEngine(article, list), MaxHeaderBytes: 64 << 10}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-stop
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newEngine is gin in release mode without middleware, on Inkwell's two public article routes.
func newEngine(article, list response) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/api/v1/articles/:slug", serve(article))
	r.GET("/api/v1/articles", serve(list))
	return r
}

// serve answers every request with the captured response.
func serve(res response) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		for _, kv := range res.headers {
			h[kv[0]] = []string{kv[1]}
		}
		h["Content-Length"] = []string{res.length}
		c.Writer.WriteHeader(http.StatusOK)
		_, _ = c.Writer.Write(res.body)
	}
}

// load reads a captured body and its headers file.
func load(bodyFile string) (response, error) {
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		return response{}, err
	}
	raw, err := os.ReadFile(bodyFile + ".headers")
	if err != nil {
		return response{}, err
	}
	var captured map[string]string
	if err := json.Unmarshal(raw, &captured); err != nil {
		return response{}, fmt.Errorf("%s.headers: %w", bodyFile, err)
	}
	res := response{body: body, length: strconv.Itoa(len(body))}
	for _, name := range repeatedHeaders {
		if v, ok := captured[name]; ok {
			res.headers = append(res.headers, [2]string{http.CanonicalHeaderKey(name), v})
		}
	}
	return res, nil
}
