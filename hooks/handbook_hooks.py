"""MkDocs hook: thin glue between MkDocs events and the handbook package."""

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from handbook import build, csp, postbuild


SERVING = False


def on_startup(command, dirty):
    global SERVING
    SERVING = command == "serve"


@event_priority(100)  # before mkdocs-macros reads the parameters: each rebuild starts afresh
def on_config(config):
    try:
        build.start()
    except ValueError as e:  # a broken record of releases (revisions.ManifestError)
        raise PluginError(str(e)) from None
    from handbook import roster

    config.extra["company"] = roster.names()["company_name"]  # the footer (partials/copyright.html)


def on_files(files, config):
    try:
        build.index_documents(files, config["docs_dir"])
    except (ValueError, KeyError) as e:  # a document without its control fields, a role not in the roster…
        raise PluginError(str(e)) from None
    for file in (build.revision_files(config) + build.onboarding_files(config) + build.record_files(config)
                 + build.form_files(config)):
        files.append(file)
    return files


def on_pre_page(page, config, files):
    build.begin_page(page.file.src_uri)  # the release command notes the parameters each page prints
    return page


def on_page_markdown(markdown, page, config, files):
    build.capture_page(markdown, page.file.src_uri)  # first: the macros have just run
    if page.file.generated_by is None:  # revision pages hold their day's numbers as text
        build.check_source(page.file.content_string, page.file.src_uri)
    return markdown


def on_page_content(html, page, config, files):
    return build.finish_page(html, page.url, page.file.src_uri)


def on_post_build(config):
    errors = build.finish_site(config["site_dir"])
    if errors:
        raise PluginError("手册构建检查未通过：\n" + "\n".join(errors))
    build.write_feeds(config["site_dir"], config["site_url"])
    if not build.STATE.capture:
        # CSP, service worker, precompressed copies; `mkdocs serve` injects an inline
        # live-reload script of its own, so it gets no CSP.
        try:
            postbuild.finish(config["site_dir"], config["theme"].dirs, csp=not SERVING)
        except csp.PolicyError as e:  # an inline script no template writes
            raise PluginError("手册构建检查未通过：\n" + str(e)) from None
