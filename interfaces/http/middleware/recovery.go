package middleware

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// Recovery turns a panic into a 500 problem and logs it once with its stack. A client that went
// away (http.ErrAbortHandler) is let through so net/http handles it.
func Recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if err, ok := rec.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(rec)
			}
			problem.Logger(c).Error("panic while handling request", zap.Any("panic", rec), zap.Stack("stack"))
			if c.Writer.Written() {
				c.Abort()
				return
			}
			problem.Write(c, http.StatusInternalServerError, "internal_error",
				"an internal error occurred; quote the request id when reporting it")
		}()
		c.Next()
	}
}
