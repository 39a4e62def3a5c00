package cli

import (
	"context"
	"log/slog"
	"time"

	"tipline/internal/install"
)

// secretWarningEvery is how often serve repeats its warning while a secret
// that belongs offline stays in the data folder.
const secretWarningEvery = time.Hour

// watchSecretsLeftBehind runs warnSecretsLeftBehind every
// secretWarningEvery until ctx ends.
func watchSecretsLeftBehind(ctx context.Context, logger *slog.Logger, dataDir string) {
	tick := time.NewTicker(secretWarningEvery)
	defer tick.Stop()
	warnSecretsLeftBehind(ctx, logger, dataDir, tick.C)
}

// warnSecretsLeftBehind warns now, and at every tick until ctx ends, of each
// secret in the data folder that belongs offline (install.LeftBehind): an
// operator who missed init's advice, or the first warning, sees it again.
func warnSecretsLeftBehind(ctx context.Context, logger *slog.Logger, dataDir string, tick <-chan time.Time) {
	for {
		found, err := install.LeftBehind(dataDir)
		if err != nil {
			logger.Error("could not check the data folder for secrets left behind", "err", err)
		}
		for _, path := range found {
			logger.Warn("SECURITY: a private key that opens every report is still on this server", "file", path,
				"what to do", "copy it to offline storage (an encrypted USB key kept in a safe), check the copy, then delete it here (shred -u FILE): the server never needs it")
		}
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
	}
}
