/* ui-test-util.h — driving real GTK windows from a test: bounded waits,
 * widget-tree search and screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sys/types.h>

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*UiCondition) (gpointer data);

/* Iterates the default main context until @cond holds or @seconds pass;
 * fails the test (with @what) on timeout. */
void        ui_wait_for             (UiCondition  cond,
                                     gpointer     data,
                                     double       seconds,
                                     const char  *what);
/* Iterates the main context for @seconds (lets frames render). */
void        ui_spin                 (double       seconds);

/* The first widget under @root (inclusive, depth first) of @type for which
 * @match (NULL: any) holds. */
typedef gboolean (*UiMatch) (GtkWidget *widget, gpointer data);
GtkWidget  *ui_find                 (GtkWidget   *root,
                                     GType        type,
                                     UiMatch      match,
                                     gconstpointer data);
/* The first button under @root whose label (mnemonic included) is @label. */
GtkWidget  *ui_find_button          (GtkWidget   *root,
                                     const char  *label);
/* A visible toplevel of @type (for which @match holds), or NULL. */
GtkWindow  *ui_find_toplevel        (GType        type,
                                     UiMatch      match,
                                     gconstpointer data);
/* The texts of every visible label under @root, joined with "\n". */
char       *ui_visible_text         (GtkWidget   *root);
/* Waits until the visible text under @root contains @text. */
void        ui_wait_for_text        (GtkWidget   *root,
                                     const char  *text,
                                     double       seconds);
/* Waits until the visible text under @root no longer contains @text. */
void        ui_wait_for_no_text     (GtkWidget   *root,
                                     const char  *text,
                                     double       seconds);
/* Waits for a mapped toplevel of @type for which @match (NULL: any)
 * holds, and returns it. */
GtkWidget  *ui_wait_for_toplevel    (GType        type,
                                     UiMatch      match,
                                     gconstpointer data,
                                     double       seconds);
/* Activates the enabled button labelled @label under @root (asserts it
 * is there), as a click does. */
void        ui_click                (GtkWidget   *root,
                                     const char  *label);
/* Asserts every icon-only button under @root (GtkButton or GtkMenuButton
 * with an icon name) has an accessible label, hidden ones and the
 * window's own controls aside; returns how many were checked. */
guint       ui_assert_icon_buttons_labelled (GtkWidget *root);
/* Renders @widget (a realized window) to DIR/@name.png, DIR from
 * BEACON_TEST_SCREENSHOTS; asserts the picture is not blank. */
/* Kamailio's process group (run-ui-flows.sh's harness starts it with
 * setsid): kill (-pid, SIGSTOP) freezes the server. */
pid_t       ui_kamailio_pid         (void);
void        ui_screenshot           (GtkWidget   *widget,
                                     const char  *name);

G_END_DECLS
