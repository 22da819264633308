package httpcache

import "github.com/gin-gonic/gin"

// PrivateNoStore is the Cache-Control of every management answer: it is about one user's account
// and rights (and may hold drafts, emails or token names), so no cache on the way, shared or the
// browser's, keeps it. ETags still serve If-Match.
const PrivateNoStore = "private, no-store"

// secretKey marks, in the gin context, an answer that holds a secret shown once.
const secretKey = "inkwell.answer_holds_secret"

// Private sets PrivateNoStore on every answer of the group it is mounted on; it is the one place
// management answers get their Cache-Control (problems set no-store themselves).
func Private() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", PrivateNoStore)
		c.Next()
	}
}

// MarkSecret records that the answer being written holds a secret shown once (an API token, a
// webhook signing secret): it must not be stored anywhere, not even for an idempotent replay.
func MarkSecret(c *gin.Context) {
	c.Set(secretKey, true)
	c.Header("Cache-Control", PrivateNoStore)
}

// HoldsSecret reports whether MarkSecret was called for this exchange.
func HoldsSecret(c *gin.Context) bool { return c.GetBool(secretKey) }
