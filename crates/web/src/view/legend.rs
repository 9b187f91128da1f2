//! The legend: which colour stands for which image, and what a tile's outline means.

use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Legend`].
#[derive(Properties, PartialEq)]
pub struct LegendProps {
    /// The images on screen with their palette colours.
    pub images: Rc<[(AttrValue, u8)]>,
}

/// The legend.
#[function_component]
pub fn Legend(props: &LegendProps) -> Html {
    html! {
        <section class="legend" aria-label="Legend">
            if !props.images.is_empty() {
                <ul class="legend-images" aria-label="Pod colour = image version">
                    { for props.images.iter().map(|(image, colour)| html! {
                        <li key={image.as_str()}>
                            <span class={classes!("swatch", format!("c{colour}"))} aria-hidden="true"></span>
                            {image.clone()}
                        </li>
                    }) }
                </ul>
            }
            <ul class="legend-states" aria-label="Pod outline = state">
                <li><span class="swatch swatch-starting" aria-hidden="true"></span>{"dashed: not ready yet"}</li>
                <li><span class="swatch swatch-ready" aria-hidden="true"></span>{"solid: ready"}</li>
                <li><span class="swatch swatch-terminating" aria-hidden="true"></span>{"faded: terminating"}</li>
            </ul>
        </section>
    }
}
