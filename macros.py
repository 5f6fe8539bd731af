"""mkdocs-macros: thin glue. The macros are handbook.site_macros.SiteMacros (the document
macros of handbook/document_macros.py plus the site's own); the build's state comes from
the MkDocs config (config.handbook, made by the hook's on_config)."""

from calc.parameters import policy
from handbook import roster, site_macros


def define_env(env):
    env.variables["policy"] = policy()
    env.variables["org"] = roster.names()
    site_macros.SiteMacros(env).register()


def on_pre_page_macros(env):
    site_macros.before_page(env)


def on_post_page_macros(env):
    site_macros.after_page(env)
