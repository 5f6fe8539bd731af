"""MkDocs hook: thin glue between MkDocs events and the handbook package."""

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from handbook import build, postbuild


SERVING = False


def on_startup(command, dirty):
    global SERVING
    SERVING = command == "serve"


@event_priority(100)  # before mkdocs-macros reads the parameters: each rebuild starts afresh
def on_config(config):
    try:
        build.start(config["docs_dir"])
    except ValueError as e:  # a broken record of releases (revisions.ManifestError)
        raise PluginError(str(e)) from None
    from handbook import roster

    config.extra["company"] = roster.names()["company_name"]  # the footer (partials/copyright.html)
    config.extra["calc_runtime"] = build.page_runtime(config["docs_dir"])  # overrides/main.html


def on_files(files, config):
    try:
        build.index_documents(files, config["docs_dir"])
    except (ValueError, KeyError) as e:  # a document without its control fields, a role not in the roster…
        raise PluginError(str(e)) from None
    for file in build.revision_files(config) + build.onboarding_files(config):
        files.append(file)
    return files


def on_nav(nav, config, files):
    build.STATE.nav = nav


def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by is None:  # revision pages hold their day's numbers as text
        build.check_source(page.file.content_string, page.file.src_uri)
    build.capture_page(markdown, page.file.src_uri)
    return markdown


def on_page_content(html, page, config, files):
    return build.finish_page(html, page.url, page.file.src_uri)


def on_post_build(config):
    errors = build.finish_site(config["site_dir"])
    if errors:
        raise PluginError("手册构建检查未通过：\n" + "\n".join(errors))
    if not build.STATE.capture:
        # CSP, service worker, precompressed copies; `mkdocs serve` injects an inline
        # live-reload script of its own, so it gets no CSP.
        postbuild.finish(config["site_dir"], csp=not SERVING, pages=build.offline_pages(),
                         site_name=config["site_name"])
