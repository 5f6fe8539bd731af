"""MkDocs hook: thin glue between MkDocs events and the handbook package."""

from mkdocs.exceptions import PluginError

from handbook import build


def on_config(config):
    build.start()


def on_files(files, config):
    try:
        build.index_documents(files, config["docs_dir"])
    except ValueError as e:  # a document without its control fields, a role not in the roster…
        raise PluginError(str(e)) from None


def on_page_content(html, page, config, files):
    return build.finish_page(html, page.url)


def on_post_build(config):
    errors = build.finish_site(config["site_dir"])
    if errors:
        raise PluginError("条款引用错误：\n" + "\n".join(errors))
