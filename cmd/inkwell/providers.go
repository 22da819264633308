package main

import (
	"net/http"

	"github.com/gin-gonic/gin"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	httpapi "github.com/inkwell-cms/inkwell/interfaces/http"
	identityhttp "github.com/inkwell-cms/inkwell/interfaces/http/identity"
)

// App is the running service: what serve starts and stops.
type App struct {
	DB       *persistence.DB
	Migrator *persistence.Migrator
	Server   *http.Server
	Identity *identityapp.Service
}

// adminCLI is what the user and token commands need: the database's migrations and the identity
// use cases.
type adminCLI struct {
	Migrator *persistence.Migrator
	Identity *identityapp.Service
}

func httpOptions(cfg config.HTTP, log config.Log) httpapi.Options {
	return httpapi.Options{BodyLimit: cfg.BodyLimit, AccessLog: log.AccessLog, TrustedProxies: cfg.TrustedProxies}
}

// httpModules lists the bounded contexts' handlers in the order their routes are mounted.
func httpModules(identity *identityhttp.Handler) []httpapi.Module {
	return []httpapi.Module{identity}
}

func publicCaching(cfg config.HTTP) identityhttp.PublicCaching {
	return identityhttp.PublicCaching{MaxAge: cfg.PublicMaxAge, StaleWhileRevalidate: cfg.PublicStaleWhile}
}

func newHTTPServer(cfg config.HTTP, engine *gin.Engine) *http.Server {
	return httpapi.NewServer(cfg.Addr, engine, httpapi.Timeouts{
		ReadHeader: cfg.ReadHeaderTimeout, Read: cfg.ReadTimeout, Write: cfg.WriteTimeout, Idle: cfg.IdleTimeout,
	})
}
