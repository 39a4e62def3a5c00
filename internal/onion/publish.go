package onion

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Config says where Tor is and what to publish.
type Config struct {
	ControlAddr string // "host:port" or "unix:/path"
	Password    string // for HASHEDPASSWORD; cookie authentication needs none
	Key         *Key
	Target      string // where Tor sends the service's port 80: the source site's address
	Logger      *slog.Logger
	// Published is called each time Tor has (again) made the service, with
	// its address and whether the proof-of-work defence is on.
	Published func(address string, pow bool)
}

// Publish keeps the onion service published until ctx ends: it asks Tor
// for it, waits while the control connection lasts, and asks again when
// Tor comes back after a restart. It returns only when ctx ends.
func Publish(ctx context.Context, cfg Config) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	wait := time.Second
	for ctx.Err() == nil {
		c, err := publishOnce(ctx, cfg)
		if err != nil {
			cfg.Logger.Warn("the onion service is not published; trying again", "err", err, "in", wait)
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			wait = min(2*wait, 30*time.Second)
			continue
		}
		wait = time.Second
		c.waitClosed(ctx)
		c.Close()
		if ctx.Err() == nil {
			cfg.Logger.Warn("Tor's control connection ended (Tor restarted?): publishing the onion service again")
		}
	}
}

// publishOnce connects, authenticates and adds the service, with the
// proof-of-work defence when this Tor has it.
func publishOnce(ctx context.Context, cfg Config) (*controller, error) {
	c, err := dial(ctx, cfg.ControlAddr)
	if err != nil {
		return nil, err
	}
	if err := c.authenticate(cfg.Password); err != nil {
		c.Close()
		return nil, err
	}
	pow := true
	address, err := c.addOnion(cfg.Key, cfg.Target, pow)
	var refused *torError
	if errors.As(err, &refused) && refused.code == "512" {
		// A Tor older than 0.4.9 does not know the keyword: publish
		// without the defence, and say so.
		cfg.Logger.Warn("this Tor cannot turn on the onion service's proof-of-work defence (Tor 0.4.9 or later can)", "tor", refused.text)
		pow = false
		address, err = c.addOnion(cfg.Key, cfg.Target, pow)
	}
	if errors.As(err, &refused) && refused.code == "550" && strings.Contains(refused.text, "collision") {
		err = fmt.Errorf("%w: another program (another Tipline server, or a HiddenService line in torrc) publishes this address on this Tor already", err)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	if cfg.Published != nil {
		cfg.Published(address, pow)
	}
	return c, nil
}
